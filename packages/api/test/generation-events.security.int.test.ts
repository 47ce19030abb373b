import { describeRouteSecurity, notFoundForOthers } from './support/route-security';

const route = {
  method: 'GET' as const,
  path: ({ alphaGeneration }: { alphaGeneration: string }) => `/v1/generations/${alphaGeneration}/events`,
  stream: true,
};
describeRouteSecurity('GET /v1/generations/{id}/events (SSE)', { ...route, ownerStatus: 200, otherTenant: notFoundForOthers(route) });
