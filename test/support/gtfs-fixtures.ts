import { strToU8, zipSync } from 'fflate';
import type { FeedFiles } from '../../src/transport/gtfs/gtfs-archive.js';

/**
 * A small GTFS feed the tests build themselves: Padma Rail (Asia/Dhaka), a night train past midnight, an
 * express with another stop pattern on the same route, a bus every hour by frequencies, zone fares.
 * Tests change one file to make one defect.
 */
export type FeedText = Record<string, string>;

export function padmaRailFeed(): FeedText {
  return {
    'agency.txt': 'agency_id,agency_name,agency_url,agency_timezone\nPR,Padma Rail,https://padma.example,Asia/Dhaka\n',
    'stops.txt': [
      'stop_id,stop_code,stop_name,stop_lat,stop_lon,zone_id',
      'DHK,DHK,Dhaka Kamalapur,23.7330,90.4250,Z1',
      'CUM,CUM,Cumilla,23.4610,91.1850,Z2',
      'CTG,CTG,Chattogram,22.3350,91.8200,Z3',
      'SYL,SYL,Sylhet,24.8950,91.8700,Z4',
      '',
    ].join('\n'),
    'routes.txt': [
      'route_id,agency_id,route_short_name,route_long_name,route_type',
      'R1,PR,701,Dhaka – Chattogram,2',
      'R2,PR,B2,Dhaka – Sylhet bus,3',
      '',
    ].join('\n'),
    'calendar.txt': [
      'service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date',
      'DAILY,1,1,1,1,1,1,1,20260101,20301231',
      'WEEKDAYS,1,1,1,1,1,0,0,20260101,20301231',
      '',
    ].join('\n'),
    'calendar_dates.txt': 'service_id,date,exception_type\n',
    'trips.txt': [
      'route_id,service_id,trip_id,trip_headsign',
      'R1,DAILY,NIGHT,Chattogram',
      'R1,WEEKDAYS,EXPRESS,Chattogram',
      'R2,DAILY,BUS,Sylhet',
      '',
    ].join('\n'),
    'stop_times.txt': [
      'trip_id,arrival_time,departure_time,stop_id,stop_sequence',
      'NIGHT,22:00:00,22:00:00,DHK,1',
      'NIGHT,23:30:00,23:35:00,CUM,2',
      'NIGHT,26:10:00,26:10:00,CTG,3',
      'EXPRESS,8:00:00,8:00:00,DHK,1',
      'EXPRESS,13:00:00,13:00:00,CTG,2',
      'BUS,07:00:00,07:00:00,DHK,1',
      'BUS,12:00:00,12:00:00,SYL,2',
      '',
    ].join('\r\n'),
    'frequencies.txt': 'trip_id,start_time,end_time,headway_secs\nBUS,07:00:00,10:00:00,3600\n',
    'fare_attributes.txt': [
      'fare_id,price,currency_type,payment_method,transfers',
      'F1,500.00,BDT,0,0',
      'F2,900.00,BDT,0,0',
      '',
    ].join('\n'),
    'fare_rules.txt': 'fare_id,route_id,origin_id,destination_id\nF1,R1,Z1,Z2\nF2,R1,Z1,Z3\n',
  };
}

export function feedFiles(feed: FeedText): FeedFiles {
  return new Map(Object.entries(feed).map(([name, text]) => [name, strToU8(text)]));
}

export function zipFeed(feed: FeedText): Buffer {
  return Buffer.from(zipSync(Object.fromEntries(Object.entries(feed).map(([name, text]) => [name, strToU8(text)]))));
}
