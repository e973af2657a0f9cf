import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useLogin, useRegister } from '../../api/auth';
import { ErrorText } from '../../components/states';
import type { Language } from '../../i18n';
import { usePageTitle } from '../../lib/page-title';

/** Only paths of this app are followed after logging in (never another site). */
function safeNext(value: string | null): string {
  return value && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export function LoginPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('auth.loginTitle'));
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate(
      { email, password },
      {
        onSuccess: (session) => {
          if (session.user.language !== i18n.language) void i18n.changeLanguage(session.user.language);
          void navigate(next, { replace: true });
        },
      },
    );
  };
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-4 text-2xl font-bold">{t('auth.loginTitle')}</h1>
      <form onSubmit={submit} className="flex flex-col gap-3">
        <label className="flex flex-col gap-1">
          <span className="text-sm font-medium">{t('auth.email')}</span>
          <input
            className="input input-bordered w-full"
            type="email"
            name="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-sm font-medium">{t('auth.password')}</span>
          <input
            className="input input-bordered w-full"
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <ErrorText error={login.error} />
        <button type="submit" className="btn btn-primary" disabled={login.isPending}>
          {login.isPending ? t('auth.loggingIn') : t('nav.login')}
        </button>
      </form>
      <p className="mt-4 text-sm">
        {t('auth.noAccount')}{' '}
        <Link className="link" to={`/signup?next=${encodeURIComponent(next)}`}>
          {t('nav.signup')}
        </Link>
      </p>
    </div>
  );
}

export function SignupPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('auth.signupTitle'));
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const register = useRegister();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const tooShort = password.length > 0 && password.length < 10;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password.length < 10) return;
    register.mutate(
      { name, email, password, language: i18n.language as Language },
      { onSuccess: () => void navigate(next, { replace: true }) },
    );
  };
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-4 text-2xl font-bold">{t('auth.signupTitle')}</h1>
      <form onSubmit={submit} className="flex flex-col gap-3">
        <label className="flex flex-col gap-1">
          <span className="text-sm font-medium">{t('auth.name')}</span>
          <input
            className="input input-bordered w-full"
            name="name"
            autoComplete="name"
            maxLength={100}
            required
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-sm font-medium">{t('auth.email')}</span>
          <input
            className="input input-bordered w-full"
            type="email"
            name="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-sm font-medium">{t('auth.password')}</span>
          <input
            className={`input input-bordered w-full ${tooShort ? 'input-warning' : ''}`}
            type="password"
            name="password"
            autoComplete="new-password"
            minLength={10}
            maxLength={200}
            required
            aria-describedby="password-hint"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          <span id="password-hint" className="text-base-content/80 text-sm">
            {t('auth.passwordHint')}
          </span>
        </label>
        <ErrorText error={register.error} />
        <button type="submit" className="btn btn-primary" disabled={register.isPending}>
          {register.isPending ? t('auth.signingUp') : t('auth.createAccount')}
        </button>
      </form>
      <p className="mt-4 text-sm">
        {t('auth.haveAccount')}{' '}
        <Link className="link" to={`/login?next=${encodeURIComponent(next)}`}>
          {t('nav.login')}
        </Link>
      </p>
    </div>
  );
}
