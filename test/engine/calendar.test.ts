import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  addWorkingHours,
  createWorkingCalendar,
  daysOff,
  lunarMonthsAround,
  lunarNewYear,
  lunarToSolar,
  nationalDayAdjacent,
  timerDueAt,
  timerProblem,
  workingHoursBetween,
} from '../../engine/calendar/index.ts';
import { MAX_TIMER_WORKING_HOURS } from '../../engine/calendar/timers.ts';
import { QuyTrinhError } from '../../engine/errors.ts';

/** An instant on Vietnam's wall clock (UTC+7). */
const vn = (local: string) => new Date(`${local}+07:00`);
const iso = (instant: Date) => new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

describe('Vietnamese lunar calendar (UTC+7)', () => {
  it.each([
    [2020, '2020-01-25'], [2021, '2021-02-12'], [2022, '2022-02-01'], [2023, '2023-01-22'], [2024, '2024-02-10'],
    [2025, '2025-01-29'], [2026, '2026-02-17'], [2027, '2027-02-06'], [2028, '2028-01-26'], [2029, '2029-02-13'],
  ])('Tết %i falls on %s', (year, date) => {
    expect(lunarNewYear(year)).toBe(date);
  });

  it('counts days in UTC+7, not China\'s UTC+8', () => {
    expect(lunarNewYear(1985)).toBe('1985-01-21'); // China: 1985-02-20
    expect(lunarNewYear(2007)).toBe('2007-02-17'); // China: 2007-02-18
    // The new moon of 2 February 2030 is at 16:08 UTC: 23:08 in Hà Nội, 00:08 on the 3rd in Beijing.
    expect(lunarNewYear(2030)).toBe('2030-02-02'); // China: 2030-02-03
  });

  it.each([
    [2020, 4], [2023, 2], [2025, 6],
  ])('puts the leap month of %i after month %i', (year, month) => {
    const leap = lunarMonthsAround(year).filter((m) => m.leap);
    expect(leap.map((m) => m.month)).toEqual([month]);
  });

  it('has months of 29 or 30 days, twelve or thirteen to a year', () => {
    for (let year = 2000; year <= 2040; year++) {
      const months = lunarMonthsAround(year);
      expect([12, 13]).toContain(months.length);
      for (const month of months) expect([29, 30]).toContain(month.length);
    }
  });

  it.each([
    [2020, '2020-04-02'], [2023, '2023-04-29'], [2024, '2024-04-18'], [2025, '2025-04-07'],
  ])('puts the Hùng Kings day (10/3 lunar) of %i on %s', (year, date) => {
    expect(lunarToSolar(year, 3, 10)).toBe(date);
  });

  it('refuses a lunar date that does not exist', () => {
    expect(() => lunarToSolar(2024, 2, 31)).toThrow(RangeError);
    expect(() => lunarToSolar(2024, 2, 1, true)).toThrow(RangeError); // 2024 has no leap month 2
  });
});

describe('public holidays (Labour Code 2019 Art. 111–112)', () => {
  const offIn = (year: number) => daysOff(year).off.map((day) => day.date);

  it('reproduces 2022, a year with no special decision, from the law alone', () => {
    expect(offIn(2022)).toEqual([
      '2022-01-01', '2022-01-03', // New Year on a Saturday: compensated on Monday (Art. 111.3)
      '2022-01-31', '2022-02-01', '2022-02-02', '2022-02-03', '2022-02-04', // Tết: 29 Chạp to mùng 4
      '2022-04-10', '2022-04-11', // Hùng Kings on a Sunday, compensated on Monday
      '2022-04-30', '2022-05-01', '2022-05-02', '2022-05-03', // both on the weekend
      '2022-09-01', '2022-09-02',
    ]);
  });

  it('takes the yearly decision for Tết 2025 and the Saturday made a working day', () => {
    const { off, extraWorkingDays } = daysOff(2025);
    const tet = off.filter((day) => day.group === 'tet');
    expect(tet.map((day) => day.date)).toEqual(['2025-01-25', '2025-01-26', '2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02']);
    expect(tet.every((day) => day.kind === 'decided')).toBe(true);
    expect(extraWorkingDays).toEqual(['2025-02-08', '2025-04-26']);
  });

  it.each([
    [2022, '2022-09-01'], [2023, '2023-09-01'], [2024, '2024-09-03'], [2025, '2025-09-01'],
  ])('picks the day next to National Day in %i as the decisions did: %s', (year, date) => {
    expect(nationalDayAdjacent(year)).toBe(date);
  });

  it('compensates on the next day that is neither a rest day nor already off', () => {
    // Tết 2027: mùng 1 and 2 fall on Saturday 6 and Sunday 7 February; Tết runs to Tuesday 9.
    const compensatory = daysOff(2027).off.filter((day) => day.kind === 'compensatory' && day.group === 'tet');
    expect(compensatory.map((day) => day.date)).toEqual(['2027-02-10', '2027-02-11']);
  });
});

describe('working time', () => {
  const calendar = createWorkingCalendar();

  it('counts 08 working hours from a Friday 16:00 receipt to Monday 16:00 (Decree 45 Art. 11.4)', () => {
    expect(iso(addWorkingHours(calendar, vn('2025-03-07T16:00'), 8))).toBe('2025-03-10 16:00');
  });

  it('carries a receipt on the eve of Tết past the whole holiday', () => {
    // Friday 13 February 2026: Tết Bính Ngọ keeps offices closed from the 14th to the 22nd.
    expect(iso(addWorkingHours(calendar, vn('2026-02-13T16:00'), 8))).toBe('2026-02-23 16:00');
    // Friday 24 January 2025, before the decided 25/1–2/2 break.
    expect(iso(addWorkingHours(calendar, vn('2025-01-24T16:00'), 8))).toBe('2025-02-03 16:00');
  });

  it('works on a Saturday made a working day by a decision', () => {
    expect(iso(addWorkingHours(calendar, vn('2025-02-07T16:00'), 8))).toBe('2025-02-08 16:00');
  });

  it('skips the lunch break, stays at a closing time it reaches, and starts at the next opening', () => {
    expect(iso(addWorkingHours(calendar, vn('2025-03-05T11:00'), 2))).toBe('2025-03-05 14:00');
    expect(iso(addWorkingHours(calendar, vn('2025-03-05T08:00'), 4))).toBe('2025-03-05 12:00');
    expect(iso(addWorkingHours(calendar, vn('2025-03-08T10:00'), 1))).toBe('2025-03-10 09:00'); // a Saturday
    expect(iso(addWorkingHours(calendar, vn('2025-03-05T12:30'), 0.5))).toBe('2025-03-05 13:30');
  });

  it('measures working hours between two instants, the inverse of adding them', () => {
    expect(workingHoursBetween(calendar, vn('2025-03-07T16:00'), vn('2025-03-10T16:00'))).toBe(8);
    expect(workingHoursBetween(calendar, vn('2025-03-10T16:00'), vn('2025-03-07T16:00'))).toBe(-8);
    const from = vn('2026-02-11T09:17');
    for (const hours of [0.25, 1, 7.5, 8, 16, 40, 123]) {
      expect(workingHoursBetween(calendar, from, addWorkingHours(calendar, from, hours))).toBeCloseTo(hours, 9);
    }
  });

  it('ends a period of working days at the close of office on its last day (Civil Code Art. 147–148)', () => {
    expect(iso(addWorkingDays(calendar, vn('2025-03-06T10:00'), 3))).toBe('2025-03-11 17:00');
    expect(iso(addWorkingDays(calendar, vn('2026-02-12T10:00'), 2))).toBe('2026-02-23 17:00');
  });

  it('follows an agency\'s own office hours', () => {
    const saturdayMornings = createWorkingCalendar({ officeHours: [{ start: '07:30', end: '11:30' }], workingWeekdays: [1, 2, 3, 4, 5, 6] });
    expect(iso(addWorkingHours(saturdayMornings, vn('2025-03-07T11:00'), 1))).toBe('2025-03-08 08:00');
    expect(saturdayMornings.minutesPerDay).toBe(240);
  });

  it('refuses settings and durations that make no sense, naming the field', () => {
    const refusal = (act: () => unknown) => {
      try {
        act();
      } catch (error) {
        return error;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal(() => createWorkingCalendar({ officeHours: [{ start: '13:00', end: '12:00' }] }))).toMatchObject({ code: 'calendar.invalid-settings', details: [{ field: 'officeHours.0' }] });
    expect(refusal(() => createWorkingCalendar({ officeHours: [{ start: '8h', end: '12:00' }] }))).toMatchObject({ details: [{ field: 'officeHours.0.start' }] });
    expect(refusal(() => addWorkingHours(calendar, new Date(), -1))).toBeInstanceOf(QuyTrinhError);
    expect(refusal(() => addWorkingDays(calendar, new Date(), 1.5))).toMatchObject({ code: 'calendar.invalid-duration' });
  });
});

describe('timer expressions', () => {
  const calendar = createWorkingCalendar();
  const armedAt = vn('2025-03-05T09:00');
  const dueAt = (expression: string, kind: 'date' | 'duration' = 'date') => timerDueAt(calendar, armedAt, { kind, expression }).toISOString();

  it.each([
    ['a date-time without offset, as Vietnam time', '2026-01-01T08:00:00', '2026-01-01T01:00:00.000Z'],
    ['a date alone, as its midnight in Vietnam', '2026-01-01', '2025-12-31T17:00:00.000Z'],
    ['a date-time in UTC', '2026-01-01T08:00:00Z', '2026-01-01T08:00:00.000Z'],
    ['a date-time with an offset', '2026-01-01T08:00:00+09:00', '2025-12-31T23:00:00.000Z'],
    ['a date-time in a named time zone', '2026-01-01T08:00[Asia/Tokyo]', '2025-12-31T23:00:00.000Z'],
  ])('reads %s the same whatever the server\'s time zone', (_name, expression, expected) => {
    const hostZone = process.env.TZ;
    try {
      for (const zone of ['UTC', 'America/New_York', 'Asia/Ho_Chi_Minh']) {
        process.env.TZ = zone;
        expect(dueAt(expression)).toBe(expected);
      }
    } finally {
      if (hostZone === undefined) delete process.env.TZ;
      else process.env.TZ = hostZone;
    }
  });

  it.each([
    ['a bare number', 'date', '12'],
    ['an English month and day', 'date', 'March 7'],
    ['a year and month', 'date', '2026-01'],
    ['a negative duration', 'duration', '-PT1H'],
    ['a duration that is not ISO 8601', 'duration', '8 hours'],
  ] as const)('refuses %s at deployment', (_name, kind, expression) => {
    expect(timerProblem({ kind, expression })).toContain(expression);
    expect(() => dueAt(expression, kind)).toThrow(QuyTrinhError);
  });

  it('refuses at deployment timers that could never be armed: past the end of the calendar, or more working hours than it searches', () => {
    expect(timerProblem({ kind: 'duration', expression: 'P300000Y' })).toContain('past the end of the calendar');
    expect(timerProblem({ kind: 'workingHours', hours: 100_000 })).toContain(`0 to ${MAX_TIMER_WORKING_HOURS}`);
    expect(timerProblem({ kind: 'workingHours', hours: MAX_TIMER_WORKING_HOURS })).toBeUndefined();
    expect(() => timerDueAt(calendar, armedAt, { kind: 'workingHours', hours: MAX_TIMER_WORKING_HOURS })).not.toThrow();
  });

  it('counts a duration in clock time from when the timer is armed', () => {
    expect(dueAt('PT8H', 'duration')).toBe('2025-03-05T10:00:00.000Z');
    expect(timerProblem({ kind: 'duration', expression: 'PT0S' })).toBeUndefined();
  });
});
