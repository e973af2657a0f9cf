import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { useAccount, useChangePassword, useUpdateProfile } from '../../api/auth';
import { ErrorText, Loading } from '../../components/states';
import { LANGUAGES, type Language } from '../../i18n';
import { usePageTitle } from '../../lib/page-title';

export function ProfilePage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('profile.pageTitle'));
  const { account, loading, loggedIn } = useAccount();
  const update = useUpdateProfile();
  const password = useChangePassword();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [language, setLanguage] = useState<Language>('en');
  const [notifyEmail, setNotifyEmail] = useState(true);
  const [notifySms, setNotifySms] = useState(false);
  const [current, setCurrent] = useState('');
  const [fresh, setFresh] = useState('');
  useEffect(() => {
    if (!account) return;
    setName(account.name);
    setPhone(account.phone ?? '');
    setLanguage(account.language);
    setNotifyEmail(account.notifyEmail);
    setNotifySms(account.notifySms);
  }, [account]);
  if (!loggedIn) return <Navigate to={`/login?next=${encodeURIComponent('/profile')}`} replace />;
  if (loading || !account) return <Loading />;

  const save = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      { name, phone: phone.trim() ? phone.trim() : null, language, notifyEmail, notifySms },
      { onSuccess: () => void i18n.changeLanguage(language) },
    );
  };
  const changePassword = (event: FormEvent) => {
    event.preventDefault();
    password.mutate(
      { currentPassword: current, newPassword: fresh },
      { onSuccess: () => (setCurrent(''), setFresh('')) },
    );
  };
  return (
    <div className="mx-auto flex max-w-lg flex-col gap-8">
      <section aria-labelledby="profile-heading">
        <h1 id="profile-heading" className="mb-4 text-2xl font-bold">
          {t('profile.heading')}
        </h1>
        <p className="mb-3 text-sm">{t('profile.email', { email: account.email })}</p>
        <form className="flex flex-col gap-3" onSubmit={save}>
          <label className="flex flex-col gap-1">
            <span className="text-sm font-medium">{t('auth.name')}</span>
            <input
              className="input input-bordered w-full"
              autoComplete="name"
              maxLength={100}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-sm font-medium">
              {t('profile.phone')} <span className="text-base-content/70">({t('common.optional')})</span>
            </span>
            <input
              className="input input-bordered w-full"
              type="tel"
              autoComplete="tel"
              placeholder="+8801…"
              value={phone}
              onChange={(event) => setPhone(event.target.value)}
            />
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-sm font-medium">{t('profile.language')}</span>
            <select
              className="select select-bordered w-full"
              value={language}
              onChange={(event) => setLanguage(event.target.value as Language)}
            >
              {LANGUAGES.map((option) => (
                <option key={option.code} value={option.code} lang={option.code}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="flex flex-col gap-1">
            <legend className="mb-1 text-sm font-medium">{t('profile.notifications')}</legend>
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                className="checkbox checkbox-sm"
                checked={notifyEmail}
                onChange={(event) => setNotifyEmail(event.target.checked)}
              />
              {t('profile.notifyEmail')}
            </label>
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                className="checkbox checkbox-sm"
                checked={notifySms}
                onChange={(event) => setNotifySms(event.target.checked)}
              />
              {t('profile.notifySms')}
            </label>
          </fieldset>
          <ErrorText error={update.error} />
          {update.isSuccess ? (
            <p role="status" className="text-success text-sm">
              {t('common.saved')}
            </p>
          ) : null}
          <button type="submit" className="btn btn-primary w-fit" disabled={update.isPending}>
            {update.isPending ? t('common.saving') : t('common.save')}
          </button>
        </form>
      </section>
      <section aria-labelledby="password-heading">
        <h2 id="password-heading" className="mb-3 text-lg font-semibold">
          {t('profile.passwordHeading')}
        </h2>
        <form className="flex flex-col gap-3" onSubmit={changePassword}>
          <label className="flex flex-col gap-1">
            <span className="text-sm font-medium">{t('profile.currentPassword')}</span>
            <input
              className="input input-bordered w-full"
              type="password"
              autoComplete="current-password"
              required
              value={current}
              onChange={(event) => setCurrent(event.target.value)}
            />
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-sm font-medium">{t('profile.newPassword')}</span>
            <input
              className="input input-bordered w-full"
              type="password"
              autoComplete="new-password"
              minLength={10}
              maxLength={200}
              required
              value={fresh}
              onChange={(event) => setFresh(event.target.value)}
            />
            <span className="text-base-content/80 text-sm">{t('auth.passwordHint')}</span>
          </label>
          <ErrorText error={password.error} />
          {password.isSuccess ? (
            <p role="status" className="text-success text-sm">
              {t('profile.passwordChanged')}
            </p>
          ) : null}
          <button type="submit" className="btn w-fit" disabled={password.isPending || fresh.length < 10}>
            {t('profile.changePassword')}
          </button>
        </form>
      </section>
    </div>
  );
}
