import type { RouteObject } from 'react-router';

/**
 * The organizer console (/console/…), loaded on demand so buyers never download it. Staff see their
 * organizer; admins pick one (kept in the URL as ?org=…).
 */
const page = (load: () => Promise<{ Component: React.ComponentType }>): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => ({ Component: (await load()).Component }),
});

export const consoleRoutes: RouteObject[] = [
  {
    path: 'console',
    ...page(async () => ({ Component: (await import('./console-layout')).ConsoleLayout })),
    children: [
      { index: true, ...page(async () => ({ Component: (await import('./dashboard')).DashboardPage })) },
      { path: 'venues', ...page(async () => ({ Component: (await import('./venues')).VenuesPage })) },
      {
        path: 'venues/:venueId/designer',
        ...page(async () => ({ Component: (await import('./designer/venue-designer')).VenueDesignerPage })),
      },
      { path: 'vehicles', ...page(async () => ({ Component: (await import('./vehicles')).VehiclesPage })) },
      {
        path: 'vehicles/designer',
        ...page(async () => ({ Component: (await import('./designer/vehicle-designer')).VehicleDesignerPage })),
      },
      { path: 'events', ...page(async () => ({ Component: (await import('./events')).EventsConsolePage })) },
      { path: 'transport', ...page(async () => ({ Component: (await import('./transport')).TransportPage })) },
      { path: 'coupons', ...page(async () => ({ Component: (await import('./coupons')).CouponsPage })) },
      {
        path: 'refund-policies',
        ...page(async () => ({ Component: (await import('./refund-policies')).RefundPoliciesPage })),
      },
      { path: 'orders', ...page(async () => ({ Component: (await import('./orders')).OrdersPage })) },
      { path: 'orders/:orderId', ...page(async () => ({ Component: (await import('./order-detail')).OrderPage })) },
      { path: 'checkin', ...page(async () => ({ Component: (await import('./checkin')).CheckinPage })) },
      { path: 'reports', ...page(async () => ({ Component: (await import('./reports')).ReportsPage })) },
    ],
  },
];
