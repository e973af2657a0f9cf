import type { RouteObject } from 'react-router';

/**
 * The organizer console mounts here (/console/…): its pages live in this folder and are added to this
 * list; router.tsx places them under the shared layout.
 */
export const consoleRoutes: RouteObject[] = [];
