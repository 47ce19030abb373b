import { describeRouteSecurity, notFoundForOthers } from './support/route-security';

const route = { method: 'GET' as const, path: ({ alphaGeneration }: { alphaGeneration: string }) => `/v1/generations/${alphaGeneration}` };
describeRouteSecurity('GET /v1/generations/{id}', { ...route, ownerStatus: 200, otherTenant: notFoundForOthers(route) });

const waiting = { method: 'GET' as const, path: ({ alphaGeneration }: { alphaGeneration: string }) => `/v1/generations/${alphaGeneration}?wait=1` };
describeRouteSecurity('GET /v1/generations/{id}?wait=1', { ...waiting, ownerStatus: 200, otherTenant: notFoundForOthers(waiting) });
