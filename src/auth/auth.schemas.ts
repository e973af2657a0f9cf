import { Type, type Static } from 'typebox';

/** Schemas of the account API. Bodies are strict (unknown fields refused) and every string is bounded. */

const strict = { additionalProperties: false } as const;

// The service trims, lower-cases and checks the shape; the schema only bounds the size.
const Email = Type.String({ minLength: 3, maxLength: 254, description: 'Email address (case does not matter)' });
export const NewPassword = Type.String({ minLength: 10, maxLength: 200, description: '10 to 200 characters' });
// Checking a password never needs more than the longest one we accept; no length rule beyond that.
const GivenPassword = Type.String({ minLength: 1, maxLength: 200 });
const PersonName = Type.String({ maxLength: 100 });
const Language = Type.Union([Type.Literal('en'), Type.Literal('bn')]);
const Phone = Type.String({
  minLength: 6,
  maxLength: 20,
  pattern: '^\\+?[0-9][0-9 ()-]{4,18}[0-9]$',
  description: 'A phone number, preferably in international form (+8801…)',
});
const RefreshToken = Type.String({ minLength: 20, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' });
const Role = Type.Union([Type.Literal('customer'), Type.Literal('staff'), Type.Literal('admin')]);
const Id = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });

export const RegisterBody = Type.Object(
  { email: Email, password: NewPassword, name: Type.Optional(PersonName), language: Type.Optional(Language) },
  strict,
);
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object({ email: Email, password: GivenPassword }, strict);
export type LoginBody = Static<typeof LoginBody>;

export const RefreshBody = Type.Object({ refreshToken: RefreshToken }, strict);
export type RefreshBody = Static<typeof RefreshBody>;

export const UpdateMeBody = Type.Object(
  {
    name: Type.Optional(PersonName),
    language: Type.Optional(Language),
    phone: Type.Optional(Type.Union([Phone, Type.Null()])),
    notifyEmail: Type.Optional(Type.Boolean()),
    notifySms: Type.Optional(Type.Boolean()),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateMeBody = Static<typeof UpdateMeBody>;

export const ChangePasswordBody = Type.Object({ currentPassword: GivenPassword, newPassword: NewPassword }, strict);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const AccountResponse = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  role: Role,
  organizerId: Type.Union([Type.String(), Type.Null()]),
  language: Language,
  notifyEmail: Type.Boolean(),
  notifySms: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type AccountResponse = Static<typeof AccountResponse>;

export const SessionResponse = Type.Object({
  user: AccountResponse,
  accessToken: Type.String({ description: 'Send as `Authorization: Bearer <accessToken>`' }),
  accessTokenExpiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
  refreshToken: Type.String({ description: 'Single use: exchange it at /api/auth/refresh for a new pair' }),
  refreshTokenExpiresAt: Type.String({ format: 'date-time' }),
});
export type SessionResponse = Static<typeof SessionResponse>;

export const CreateAccountBody = Type.Object(
  {
    email: Email,
    password: NewPassword,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: Type.Union([Type.Literal('staff'), Type.Literal('admin')]),
    organizerId: Type.Optional(Id),
  },
  strict,
);
export type CreateAccountBody = Static<typeof CreateAccountBody>;

export const ListAccountsQuery = Type.Object(
  {
    role: Type.Optional(Role),
    organizerId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  strict,
);
export type ListAccountsQuery = Static<typeof ListAccountsQuery>;
