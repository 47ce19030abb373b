// The wire formats of the four upstream dialects: request fields, clip and task objects,
// envelopes. Pure; shared by the simulator (which speaks them as an upstream) and the
// front doors (which serve them to clients written for those upstreams).
export * from './clip';
export * from './lyrics';
export * from './relay';
export * from './action';
export * from './envelopes';
export * from './bodies';
