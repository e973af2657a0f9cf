import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Stop, StopList } from '../api/types';

/** A stop chosen in the picker: enough to search and to show it again. */
export interface ChosenStop {
  id: string;
  name: string;
  city: string;
  organizerId?: string;
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * Stop autocomplete (WAI-ARIA combobox with a listbox popup): type part of a name, city or code, move with
 * the arrow keys, choose with Enter. `organizerId` narrows the list to one operator's stops once the
 * other end of the journey is chosen (a trip runs within one operator's network).
 */
export function StopPicker(props: {
  label: string;
  value: ChosenStop | null;
  onChange: (stop: ChosenStop | null) => void;
  organizerId?: string | undefined;
  name: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(props.value ? props.value.name : '');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const q = useDebounced(text.trim(), 150);
  useEffect(() => {
    setText(props.value ? props.value.name : '');
  }, [props.value]);

  const stops = useQuery({
    queryKey: ['stops', q, props.organizerId ?? null],
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ q, limit: '8' });
      if (props.organizerId) params.set('organizerId', props.organizerId);
      return api<StopList>(`/api/stops?${params}`, { signal, auth: false });
    },
    enabled: open && q.length >= 1 && q !== props.value?.name,
    staleTime: 5 * 60_000,
  });
  const items: Stop[] = stops.data?.items ?? [];

  const choose = (stop: Stop) => {
    props.onChange({ id: stop.id, name: stop.name, city: stop.city, organizerId: stop.organizerId });
    setText(stop.name);
    setOpen(false);
  };

  const listId = `${id}-list`;
  const showList = open && q.length >= 1 && q !== props.value?.name;
  return (
    <div className="relative">
      <label className="floating-label w-full" htmlFor={`${id}-input`}>
        <span>{props.label}</span>
        <input
          ref={inputRef}
          id={`${id}-input`}
          name={props.name}
          className="input input-bordered w-full"
          role="combobox"
          aria-expanded={showList}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={showList && items[active] ? `${id}-opt-${active}` : undefined}
          autoComplete="off"
          placeholder={props.label}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setOpen(true);
            setActive(0);
            if (props.value) props.onChange(null);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={(event) => {
            if (!showList) return;
            if (event.key === 'ArrowDown') {
              event.preventDefault();
              setActive((index) => Math.min(index + 1, items.length - 1));
            } else if (event.key === 'ArrowUp') {
              event.preventDefault();
              setActive((index) => Math.max(index - 1, 0));
            } else if (event.key === 'Enter' && items[active]) {
              event.preventDefault();
              choose(items[active]);
            } else if (event.key === 'Escape') {
              setOpen(false);
            }
          }}
        />
      </label>
      <ul
        id={listId}
        role="listbox"
        aria-label={props.label}
        className={`menu bg-base-100 rounded-box border-base-300 absolute z-30 mt-1 w-full flex-nowrap border p-1 shadow-lg ${showList ? '' : 'hidden'}`}
      >
        {showList && stops.isFetching && items.length === 0 ? (
          <li className="px-3 py-2">{t('common.loading')}</li>
        ) : null}
        {showList && !stops.isFetching && stops.isSuccess && items.length === 0 ? (
          <li className="px-3 py-2">{t('stops.none')}</li>
        ) : null}
        {items.map((stop, index) => (
          <li key={stop.id} id={`${id}-opt-${index}`} role="option" aria-selected={index === active}>
            <button
              type="button"
              tabIndex={-1}
              className={index === active ? 'menu-active' : ''}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(stop)}
            >
              <span className="font-medium">{stop.name}</span>
              <span className="text-base-content/70 text-xs">
                {stop.city} · {stop.code}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
