import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, ScrollRestoration, useLocation, useNavigate } from 'react-router';
import { useAccount, useLogout, useUpdateProfile } from '../api/auth';
import { LANGUAGES, type Language } from '../i18n';
import { applyTheme, isDark } from '../lib/theme';

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const { account } = useAccount();
  const updateProfile = useUpdateProfile();
  const choose = (language: Language) => {
    void i18n.changeLanguage(language);
    // A logged-in buyer's e-mails and tickets follow the language they read the site in.
    if (account && account.language !== language) updateProfile.mutate({ language });
  };
  return (
    <div role="group" aria-label={t('nav.language')} className="join">
      {LANGUAGES.map((language) => (
        <button
          key={language.code}
          type="button"
          lang={language.code}
          className={`btn btn-sm join-item ${i18n.language === language.code ? 'btn-primary' : 'btn-ghost'}`}
          aria-pressed={i18n.language === language.code}
          onClick={() => choose(language.code)}
        >
          {language.label}
        </button>
      ))}
    </div>
  );
}

function ThemeToggle() {
  const { t } = useTranslation();
  const [dark, setDark] = useState(isDark);
  const toggle = () => {
    applyTheme(dark ? 'light' : 'dark');
    setDark(!dark);
  };
  return (
    <button
      type="button"
      className="btn btn-sm btn-ghost btn-square"
      onClick={toggle}
      aria-label={dark ? t('nav.themeLight') : t('nav.themeDark')}
      title={dark ? t('nav.themeLight') : t('nav.themeDark')}
    >
      <span aria-hidden="true">{dark ? '☀' : '☾'}</span>
    </button>
  );
}

function AccountMenu() {
  const { t } = useTranslation();
  const { account, loggedIn } = useAccount();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  if (!loggedIn) {
    const next = encodeURIComponent(location.pathname + location.search);
    return (
      <div className="flex gap-1">
        <Link className="btn btn-sm btn-ghost" to={`/login?next=${next}`}>
          {t('nav.login')}
        </Link>
        <Link className="btn btn-sm btn-primary hidden sm:inline-flex" to={`/signup?next=${next}`}>
          {t('nav.signup')}
        </Link>
      </div>
    );
  }
  return (
    <details className="dropdown dropdown-end">
      <summary className="btn btn-sm btn-ghost max-w-40">
        <span className="truncate">{account?.name || account?.email || t('nav.account')}</span>
      </summary>
      <ul className="menu dropdown-content bg-base-100 rounded-box z-30 mt-2 w-52 p-2 shadow">
        <li>
          <Link to="/bookings">{t('nav.bookings')}</Link>
        </li>
        <li>
          <Link to="/profile">{t('nav.profile')}</Link>
        </li>
        {account && account.role !== 'customer' ? (
          <li>
            <Link to="/console">{t('console.title')}</Link>
          </li>
        ) : null}
        <li>
          <button type="button" onClick={() => logout.mutate(undefined, { onSettled: () => void navigate('/') })}>
            {t('nav.logout')}
          </button>
        </li>
      </ul>
    </details>
  );
}

/** Closes open <details> menus when the route changes (a click on a link inside them navigates). */
function useCloseMenusOnNavigation() {
  const location = useLocation();
  useEffect(() => {
    document.querySelectorAll('details[open]').forEach((element) => element.removeAttribute('open'));
  }, [location.pathname, location.search]);
}

export function Layout() {
  const { t } = useTranslation();
  useCloseMenusOnNavigation();
  const navClass = ({ isActive }: { isActive: boolean }) => `btn btn-sm btn-ghost ${isActive ? 'btn-active' : ''}`;
  return (
    <div className="flex min-h-dvh flex-col">
      <a href="#main" className="btn btn-primary btn-sm absolute left-2 top-2 z-50 -translate-y-20 focus:translate-y-0">
        {t('common.skipToContent')}
      </a>
      <header className="bg-base-100 border-base-300 no-print sticky top-0 z-20 border-b">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-2 px-3 py-2">
          <Link to="/" className="text-primary mr-2 flex items-center gap-2 text-lg font-bold">
            <img src="/favicon.svg" alt="" width="28" height="28" />
            <span>Boxoffice</span>
          </Link>
          <nav aria-label={t('nav.main')} className="order-3 flex w-full gap-1 overflow-x-auto sm:order-none sm:w-auto">
            <NavLink to="/events" className={navClass}>
              {t('nav.events')}
            </NavLink>
            <NavLink to="/trips" className={navClass}>
              {t('nav.trips')}
            </NavLink>
            <NavLink to="/bookings" className={navClass}>
              {t('nav.bookings')}
            </NavLink>
          </nav>
          <div className="ml-auto flex items-center gap-1">
            <LanguageSwitch />
            <ThemeToggle />
            <AccountMenu />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-3 py-4 sm:py-6 focus:outline-none">
        <Outlet />
      </main>
      <footer className="bg-base-200 no-print mt-8">
        <div className="mx-auto flex max-w-6xl flex-wrap justify-between gap-2 px-3 py-4 text-sm">
          <span>{t('footer.tagline')}</span>
          <a className="link" href="/api/docs">
            {t('footer.api')}
          </a>
        </div>
      </footer>
      <ScrollRestoration />
    </div>
  );
}
