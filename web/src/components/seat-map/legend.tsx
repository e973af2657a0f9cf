import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/format';
import { SeatDefs, SeatGlyph, type SeatLook } from './seat-glyph';

function Swatch(props: { look: SeatLook; colour: string; wheelchair?: boolean; companion?: boolean; berth?: boolean }) {
  return (
    <svg viewBox="-12 -12 24 24" width="22" height="22" aria-hidden="true" className="shrink-0">
      <SeatDefs radius={8} />
      <SeatGlyph
        x={0}
        y={0}
        r={props.berth ? 6 : 8}
        look={props.look}
        colour={props.colour}
        wheelchair={props.wheelchair ?? false}
        companion={props.companion ?? false}
        berth={props.berth ?? false}
      />
    </svg>
  );
}

/** What the colours, shapes and marks of the seat map mean, with the price of each category. */
export function SeatLegend(props: {
  colours: Map<string, string>;
  prices: Record<string, number>;
  currency: string;
  flags: { wheelchair: boolean; companion: boolean; berth: boolean };
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const neutral = '#0e7490';
  return (
    <div className="flex flex-col gap-3 text-sm">
      <div>
        <h3 className="mb-1 font-semibold">{t('seatMap.legendPrices')}</h3>
        <ul className="flex flex-wrap gap-x-4 gap-y-1">
          {[...props.colours.entries()].map(([category, colour]) => (
            <li key={category} className="flex items-center gap-1">
              <Swatch look="available" colour={colour} />
              <span>
                {category}:{' '}
                {props.prices[category] !== undefined
                  ? format.money(props.prices[category], props.currency)
                  : t('seatMap.noPrice')}
              </span>
            </li>
          ))}
        </ul>
      </div>
      <div>
        <h3 className="mb-1 font-semibold">{t('seatMap.legendStates')}</h3>
        <ul className="flex flex-wrap gap-x-4 gap-y-1">
          {(['available', 'selected', 'held', 'sold', 'blocked'] as const).map((look) => (
            <li key={look} className="flex items-center gap-1">
              <Swatch look={look} colour={neutral} />
              <span>{t(`seatMap.state.${look}`)}</span>
            </li>
          ))}
          {props.flags.wheelchair ? (
            <li className="flex items-center gap-1">
              <Swatch look="available" colour={neutral} wheelchair />
              <span>{t('seatMap.wheelchair')}</span>
            </li>
          ) : null}
          {props.flags.companion ? (
            <li className="flex items-center gap-1">
              <Swatch look="available" colour={neutral} companion />
              <span>{t('seatMap.companion')}</span>
            </li>
          ) : null}
          {props.flags.berth ? (
            <li className="flex items-center gap-1">
              <Swatch look="available" colour={neutral} berth />
              <span>{t('seatMap.berth')}</span>
            </li>
          ) : null}
        </ul>
      </div>
    </div>
  );
}
