import { createBrowserRouter } from 'react-router';
import { Layout } from './components/layout';
import { Loading } from './components/states';
import { LoginPage, SignupPage } from './routes/account/auth-pages';
import { ProfilePage } from './routes/account/profile';
import { BookingsPage } from './routes/bookings/list';
import { consoleRoutes } from './routes/console';
import { EventPage } from './routes/events/detail';
import { EventsPage } from './routes/events/list';
import { HomePage } from './routes/home';
import { NotFoundPage, RouteErrorPage } from './routes/not-found';
import { TripResultsPage } from './routes/trips/results';

/**
 * Every page of the app. The seat pages, checkout and confirmation (the seat map, QR codes) load on
 * demand, so the home page stays small on a phone.
 */
export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    // Shown while a page loaded on demand arrives on the first visit.
    hydrateFallbackElement: <Loading />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'events', element: <EventsPage /> },
      { path: 'events/:eventId', element: <EventPage /> },
      {
        path: 'events/:eventId/seats',
        lazy: async () => ({ Component: (await import('./routes/events/seats')).EventSeatsPage }),
      },
      { path: 'trips', element: <TripResultsPage /> },
      {
        path: 'trips/:tripId/seats',
        lazy: async () => ({ Component: (await import('./routes/trips/seats')).TripSeatsPage }),
      },
      {
        path: 'checkout',
        lazy: async () => ({ Component: (await import('./routes/checkout/checkout')).CheckoutPage }),
      },
      {
        path: 'orders/:orderId/confirmation',
        lazy: async () => ({ Component: (await import('./routes/checkout/confirmation')).ConfirmationPage }),
      },
      { path: 'bookings', element: <BookingsPage /> },
      {
        path: 'bookings/:orderId',
        lazy: async () => ({ Component: (await import('./routes/bookings/detail')).BookingPage }),
      },
      { path: 'login', element: <LoginPage /> },
      { path: 'signup', element: <SignupPage /> },
      { path: 'profile', element: <ProfilePage /> },
      ...consoleRoutes,
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
