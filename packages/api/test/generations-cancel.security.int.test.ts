import { describeRouteSecurity, notFoundForOthers } from './support/route-security';

const route = { method: 'POST' as const, path: ({ alphaGeneration }: { alphaGeneration: string }) => `/v1/generations/${alphaGeneration}/cancel` };
// notFoundForOthers also proves beta's cancel left alpha's generation queued.
describeRouteSecurity('POST /v1/generations/{id}/cancel', { ...route, ownerStatus: 200, otherTenant: notFoundForOthers(route) });
