import type { FastifyInstance } from 'fastify';
import { generatePassword } from '../auth/password.js';
import { signAccessToken } from '../auth/principal.js';
import type { AppDeps } from '../container.js';
import { concertStadiumLayout, cinemaScreenLayout } from './demo-layouts.js';

/** What the demo seed created that a person needs to know: the staff logins of the demo organizers. */
export interface DemoSeed {
  staff: { email: string; organizer: string }[];
  /** One generated password for every demo staff account, printed once in the start banner. */
  staffPassword: string;
}

/**
 * Seeds a living demo catalog on first start (when there are no organizers yet), through the admin API
 * itself — so the demo is built by the same validation and services a real organizer uses — as the
 * platform admin, then adds one staff account per demo organizer. Null when nothing was seeded.
 */
export async function seedDemoData(app: FastifyInstance, deps: AppDeps): Promise<DemoSeed | null> {
  const existing = await deps.database.db.selectFrom('organizers').select('id').limit(1).executeTakeFirst();
  if (existing || !deps.platformAdmin) return null;
  const token = signAccessToken(app, { userId: deps.platformAdmin.userId, role: 'admin', organizerId: null });
  const admin = new AdminClient(app, token);
  const today = new Date(deps.clock.now().getTime());
  await seedBusOperator(admin, today);
  await seedRailway(admin, today);
  await seedCinema(admin, today);
  await seedConcert(admin, today);

  const staffPassword = generatePassword();
  const staff: DemoSeed['staff'] = [];
  const organizers = await admin.send<{ id: string; name: string; slug: string }[]>('GET', '/organizers', undefined);
  for (const organizer of organizers) {
    const email = `staff@${organizer.slug}.demo`;
    await admin.send('POST', '/users', {
      email,
      password: staffPassword,
      name: `${organizer.name} staff`,
      role: 'staff',
      organizerId: organizer.id,
    });
    staff.push({ email, organizer: organizer.name });
  }
  return { staff, staffPassword };
}

class AdminClient {
  constructor(
    private readonly app: FastifyInstance,
    private readonly accessToken: string,
  ) {}

  async send<T = { id: string }>(method: 'GET' | 'POST' | 'PUT', url: string, payload: unknown): Promise<T> {
    const response = await this.app.inject({
      method,
      url: `/api/admin${url}`,
      ...(payload === undefined ? {} : { payload: payload as object }),
      headers: { authorization: `Bearer ${this.accessToken}` },
    });
    if (response.statusCode >= 300) {
      throw new Error(`Demo seed: ${method} ${url} answered ${response.statusCode}: ${response.body.slice(0, 500)}`);
    }
    return response.json() as T;
  }
}

function isoDate(date: Date, plusDays = 0): string {
  return new Date(date.getTime() + plusDays * 86400_000).toISOString().slice(0, 10);
}

interface StopSpec {
  code: string;
  name: string;
  city: string;
  lat: number;
  lon: number;
  timezone?: string;
}

async function createStops(admin: AdminClient, organizerId: string, stops: StopSpec[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const stop of stops) {
    const created = await admin.send('POST', '/stops', { organizerId, timezone: 'Asia/Dhaka', ...stop });
    ids.set(stop.code, created.id);
  }
  return ids;
}

/** [stop code, minutes after departure] — arrival and departure; a 10-minute halt at intermediate stops. */
type Itinerary = [string, number][];

function routeStops(ids: Map<string, string>, itinerary: Itinerary) {
  return itinerary.map(([code, minutes], index) => ({
    stopId: ids.get(code)!,
    arriveOffsetMin: minutes,
    departOffsetMin: index === 0 || index === itinerary.length - 1 ? minutes : minutes + 10,
  }));
}

async function seedBusOperator(admin: AdminClient, today: Date): Promise<void> {
  const organizer = await admin.send('POST', '/organizers', {
    name: 'Padma Paribahan',
    slug: 'padma-paribahan',
    currency: 'BDT',
    timezone: 'Asia/Dhaka',
  });
  const stops = await createStops(admin, organizer.id, [
    { code: 'DHK-SYD', name: 'Sayedabad Bus Terminal', city: 'Dhaka', lat: 23.7104, lon: 90.4256 },
    { code: 'DHK-GBT', name: 'Gabtoli Bus Terminal', city: 'Dhaka', lat: 23.7838, lon: 90.3446 },
    { code: 'CML', name: 'Cumilla (Padua Bazar)', city: 'Cumilla', lat: 23.4298, lon: 91.1662 },
    { code: 'FNI', name: 'Feni (Mohipal)', city: 'Feni', lat: 23.0159, lon: 91.3976 },
    { code: 'CTG', name: 'Chattogram (Dampara)', city: 'Chattogram', lat: 22.3569, lon: 91.8232 },
    { code: 'CXB', name: "Cox's Bazar (Kolatoli)", city: "Cox's Bazar", lat: 21.4272, lon: 92.0058 },
    { code: 'BRB', name: 'Bhairab', city: 'Bhairab', lat: 24.0524, lon: 90.9764 },
    { code: 'HBG', name: 'Habiganj (Shaistaganj)', city: 'Habiganj', lat: 24.3745, lon: 91.4155 },
    { code: 'SYL', name: 'Sylhet (Kadamtali)', city: 'Sylhet', lat: 24.8949, lon: 91.8687 },
    { code: 'JSR', name: 'Jashore', city: 'Jashore', lat: 23.1664, lon: 89.2081 },
    { code: 'BNP', name: 'Benapole Border', city: 'Benapole', lat: 23.0431, lon: 88.8967 },
    { code: 'PTP', name: 'Petrapole', city: 'Petrapole', lat: 23.0364, lon: 88.8788, timezone: 'Asia/Kolkata' },
    {
      code: 'KOL',
      name: 'Kolkata (Marquis Street)',
      city: 'Kolkata',
      lat: 22.5551,
      lon: 88.3515,
      timezone: 'Asia/Kolkata',
    },
  ]);
  const acBus = await admin.send('POST', '/vehicle-layouts', {
    organizerId: organizer.id,
    name: 'AC Business 2+1 (30 seats)',
    template: { type: 'bus_2_1', rows: 10, seatClass: 'AC_BUSINESS' },
  });
  const nonAcBus = await admin.send('POST', '/vehicle-layouts', {
    organizerId: organizer.id,
    name: 'Non-AC 2+2 (40 seats)',
    template: { type: 'bus_2_2', rows: 10, seatClass: 'NON_AC' },
  });
  const sleeper = await admin.send('POST', '/vehicle-layouts', {
    organizerId: organizer.id,
    name: 'AC Sleeper, two decks',
    template: { type: 'sleeper_2_decks', rows: 6, seatClass: 'AC_SLEEPER' },
  });

  const routes: {
    code: string;
    name: string;
    itinerary: Itinerary;
    layoutId: string;
    departureTimes: string[];
    fares: Record<string, number>; // per leg, BDT in poisha (minor units)
  }[] = [
    {
      code: 'DHK-CTG',
      name: 'Dhaka – Chattogram',
      itinerary: [
        ['DHK-SYD', 0],
        ['CML', 120],
        ['FNI', 200],
        ['CTG', 330],
      ],
      layoutId: acBus.id,
      departureTimes: ['07:00', '11:30', '23:00'],
      fares: { AC_BUSINESS: 40000 },
    },
    {
      code: 'DHK-CTG-E',
      name: 'Dhaka – Chattogram (economy)',
      itinerary: [
        ['DHK-SYD', 0],
        ['CML', 130],
        ['FNI', 215],
        ['CTG', 350],
      ],
      layoutId: nonAcBus.id,
      departureTimes: ['06:30', '09:00', '14:00', '22:00'],
      fares: { NON_AC: 20000 },
    },
    {
      code: 'DHK-CXB',
      name: "Dhaka – Cox's Bazar",
      itinerary: [
        ['DHK-SYD', 0],
        ['CML', 120],
        ['CTG', 330],
        ['CXB', 570],
      ],
      layoutId: sleeper.id,
      departureTimes: ['21:30', '22:30'],
      fares: { AC_SLEEPER: 70000 },
    },
    {
      code: 'DHK-SYL',
      name: 'Dhaka – Sylhet',
      itinerary: [
        ['DHK-SYD', 0],
        ['BRB', 100],
        ['HBG', 200],
        ['SYL', 330],
      ],
      layoutId: nonAcBus.id,
      departureTimes: ['08:00', '15:00', '23:30'],
      fares: { NON_AC: 18000 },
    },
    {
      code: 'DHK-KOL',
      name: 'Dhaka – Kolkata via Benapole',
      itinerary: [
        ['DHK-GBT', 0],
        ['JSR', 300],
        ['BNP', 390],
        ['PTP', 480],
        ['KOL', 660],
      ],
      layoutId: acBus.id,
      departureTimes: ['06:00', '21:00'],
      fares: { AC_BUSINESS: 60000 },
    },
  ];
  for (const spec of routes) {
    const route = await admin.send('POST', '/routes', {
      organizerId: organizer.id,
      code: spec.code,
      name: spec.name,
      mode: 'bus',
      defaultLayoutId: spec.layoutId,
      stops: routeStops(stops, spec.itinerary),
    });
    // Per-leg fares (the fallback sum) plus an end-to-end fare that is cheaper than the sum.
    const fares: { fromStopId: string; toStopId: string; seatClass: string; amount: number }[] = [];
    for (const [seatClass, perLeg] of Object.entries(spec.fares)) {
      for (let i = 0; i + 1 < spec.itinerary.length; i++) {
        fares.push({
          fromStopId: stops.get(spec.itinerary[i]![0])!,
          toStopId: stops.get(spec.itinerary[i + 1]![0])!,
          seatClass,
          amount: perLeg,
        });
      }
      fares.push({
        fromStopId: stops.get(spec.itinerary[0]![0])!,
        toStopId: stops.get(spec.itinerary.at(-1)![0])!,
        seatClass,
        amount: Math.round((perLeg * (spec.itinerary.length - 1) * 0.85) / 100) * 100,
      });
    }
    await admin.send('PUT', `/routes/${route.id}/fares`, { fares });
    await admin.send('POST', `/routes/${route.id}/trips/generate`, {
      from: isoDate(today),
      to: isoDate(today, 13),
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      departureTimes: spec.departureTimes,
    });
  }
}

async function seedRailway(admin: AdminClient, today: Date): Promise<void> {
  const organizer = await admin.send('POST', '/organizers', {
    name: 'Meghna Rail',
    slug: 'meghna-rail',
    currency: 'BDT',
    timezone: 'Asia/Dhaka',
  });
  const stations: [string, string, string, number, number, number][] = [
    // code, name, city, lat, lon, minutes after departure
    ['KMLP', 'Dhaka Kamalapur', 'Dhaka', 23.7322, 90.4262, 0],
    ['DAPT', 'Dhaka Airport', 'Dhaka', 23.8513, 90.4081, 30],
    ['NRSD', 'Narsingdi', 'Narsingdi', 23.9216, 90.7153, 80],
    ['BRBB', 'Bhairab Bazar', 'Bhairab', 24.0524, 90.9764, 125],
    ['BBRA', 'Brahmanbaria', 'Brahmanbaria', 23.9608, 91.1115, 165],
    ['AKRA', 'Akhaura Junction', 'Akhaura', 23.8689, 91.2067, 190],
    ['CMLR', 'Cumilla', 'Cumilla', 23.4607, 91.1809, 245],
    ['LKSM', 'Laksam Junction', 'Laksam', 23.2424, 91.1306, 275],
    ['FENR', 'Feni', 'Feni', 23.0159, 91.3976, 320],
    ['SKPR', 'Sitakunda', 'Sitakunda', 22.6145, 91.6622, 370],
    ['CTGR', 'Chattogram', 'Chattogram', 22.3358, 91.8317, 420],
  ];
  const ids = await createStops(
    admin,
    organizer.id,
    stations.map(([code, name, city, lat, lon]) => ({ code, name, city, lat, lon })),
  );
  const train = await admin.send('POST', '/vehicle-layouts', {
    organizerId: organizer.id,
    name: 'Intercity rake (5 coaches)',
    template: {
      type: 'train_coach',
      coaches: [
        { name: 'KA', seatClass: 'SHOVAN_CHAIR', rows: 15, seatsPerRow: 4 },
        { name: 'KHA', seatClass: 'SHOVAN_CHAIR', rows: 15, seatsPerRow: 4 },
        { name: 'GA', seatClass: 'SNIGDHA', rows: 13, seatsPerRow: 4 },
        { name: 'GHA', seatClass: 'AC_SEAT', rows: 12, seatsPerRow: 4 },
        { name: 'CHA', seatClass: 'AC_BERTH', rows: 6, seatsPerRow: 4 },
      ],
    },
  });
  const route = await admin.send('POST', '/routes', {
    organizerId: organizer.id,
    code: 'IC-701',
    name: 'Subarna Intercity: Dhaka – Chattogram',
    mode: 'train',
    defaultLayoutId: train.id,
    stops: stations.map(([code, , , , , minutes], index) => ({
      stopId: ids.get(code)!,
      arriveOffsetMin: minutes,
      departOffsetMin: index === 0 || index === stations.length - 1 ? minutes : minutes + 3,
    })),
  });
  const perLeg: Record<string, number> = { SHOVAN_CHAIR: 3500, SNIGDHA: 6500, AC_SEAT: 8000, AC_BERTH: 12000 };
  const fares = Object.entries(perLeg).flatMap(([seatClass, amount]) =>
    stations.slice(0, -1).map(([code], i) => ({
      fromStopId: ids.get(code)!,
      toStopId: ids.get(stations[i + 1]![0])!,
      seatClass,
      amount,
    })),
  );
  await admin.send('PUT', `/routes/${route.id}/fares`, { fares });
  await admin.send('POST', `/routes/${route.id}/trips/generate`, {
    from: isoDate(today),
    to: isoDate(today, 13),
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    departureTimes: ['07:00', '15:00'],
  });
}

/** A local wall-clock time in Dhaka (UTC+6, no DST) as a UTC instant. */
function dhakaTime(date: string, time: string): string {
  return new Date(`${date}T${time}:00+06:00`).toISOString();
}

async function seedCinema(admin: AdminClient, today: Date): Promise<void> {
  const organizer = await admin.send('POST', '/organizers', {
    name: 'Lumiere Cinemas',
    slug: 'lumiere-cinemas',
    currency: 'BDT',
    timezone: 'Asia/Dhaka',
  });
  const films = [
    { title: 'The Last Ferry to Barishal', category: 'drama', language: 'Bangla', minutes: 135 },
    { title: 'Monsoon Heist', category: 'action', language: 'English', minutes: 120 },
    { title: 'Tiger of the Sundarbans', category: 'family', language: 'Bangla', minutes: 100 },
    { title: 'Orbit of Silence', category: 'sci-fi', language: 'English', minutes: 150 },
  ];
  const screens = [
    { name: 'Screen 1 (Premium)', rows: 12, seatsPerRow: 18 },
    { name: 'Screen 2', rows: 10, seatsPerRow: 16 },
    { name: 'Screen 3', rows: 8, seatsPerRow: 14 },
  ];
  const showTimes = ['11:00', '14:30', '18:00', '21:30'];
  for (const [screenIndex, screen] of screens.entries()) {
    const venue = await admin.send('POST', '/venues', {
      organizerId: organizer.id,
      name: `Lumiere Cinemas Bashundhara – ${screen.name}`,
      city: 'Dhaka',
      address: 'Bashundhara City, Panthapath, Dhaka 1205',
      timezone: 'Asia/Dhaka',
    });
    await admin.send(
      'PUT',
      `/venues/${venue.id}/layout`,
      cinemaScreenLayout(screen.name, screen.rows, screen.seatsPerRow),
    );
    for (let day = 0; day < 7; day++) {
      const date = isoDate(today, day);
      for (const [slot, time] of showTimes.entries()) {
        const film = films[(screenIndex + slot + day) % films.length]!;
        const startsAt = dhakaTime(date, time);
        if (new Date(startsAt).getTime() < today.getTime() + 15 * 60_000) continue;
        await admin.send('POST', '/events', {
          venueId: venue.id,
          title: film.title,
          description: `${film.title} — ${film.minutes} minutes, ${film.language}.`,
          category: film.category,
          language: film.language,
          startsAt,
          endsAt: new Date(new Date(startsAt).getTime() + film.minutes * 60_000).toISOString(),
          status: 'on_sale',
          prices: { REGULAR: 45000, PREMIUM: 65000, RECLINER: 120000 },
        });
      }
    }
  }
}

async function seedConcert(admin: AdminClient, today: Date): Promise<void> {
  const organizer = await admin.send('POST', '/organizers', {
    name: 'Dhaka Live',
    slug: 'dhaka-live',
    currency: 'BDT',
    timezone: 'Asia/Dhaka',
  });
  const venue = await admin.send('POST', '/venues', {
    organizerId: organizer.id,
    name: 'National Stadium Dhaka',
    city: 'Dhaka',
    address: 'Motijheel, Dhaka 1000',
    timezone: 'Asia/Dhaka',
  });
  await admin.send('PUT', `/venues/${venue.id}/layout`, concertStadiumLayout());
  const date = isoDate(today, 21);
  await admin.send('POST', '/events', {
    venueId: venue.id,
    title: 'Monsoon Nights: Live in Dhaka',
    description: 'A night of Bangla rock and folk fusion under the stadium lights.',
    category: 'concert',
    language: 'Bangla',
    startsAt: dhakaTime(date, '19:00'),
    endsAt: dhakaTime(date, '23:00'),
    status: 'on_sale',
    prices: { FLOOR_GA: 150000, GOLD: 500000, SILVER: 300000, BRONZE: 150000, UPPER: 80000 },
  });
}
