import { createBrowserRouter } from 'react-router';
import { Layout } from './components/layout';
import { consoleRoutes } from './routes/console';
import { HomePage } from './routes/home';
import { NotFoundPage, RouteErrorPage } from './routes/not-found';

/**
 * Every page of the app. Heavy pages (seat maps, checkout) are loaded on demand with `lazy`, so the home
 * page stays small on a phone.
 */
export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [{ index: true, element: <HomePage /> }, ...consoleRoutes, { path: '*', element: <NotFoundPage /> }],
  },
]);
