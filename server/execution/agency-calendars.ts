import type { Knex } from 'knex';
import type { z } from 'zod';
import { calendarSettingsSchema, createWorkingCalendar, type WorkingCalendar } from '../../engine/calendar/index.ts';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';

/**
 * Working calendars per agency (the lane a step lies in): a user task's due date and a
 * working-time timer count the office hours of the agency doing the step. Read from the
 * database and kept for a short while in each process, so a step does not pay a query for them:
 * a change made here applies at once, one made by another server process within CACHE_MS.
 */
export interface AgencyCalendars {
  calendarFor(agency: string | undefined): WorkingCalendar;
}

export interface AgencyCalendarSettings {
  agency: string;
  officeHours: Array<{ start: string; end: string }>;
  workingWeekdays: number[];
}

const CACHE_MS = 30_000;
const defaultCalendar = createWorkingCalendar();
let cached: { at: number; calendars: Promise<AgencyCalendars> } | undefined;

export function agencyCalendars(db: Database | Knex.Transaction): Promise<AgencyCalendars> {
  if (!cached || Date.now() - cached.at > CACHE_MS) {
    const calendars = loadCalendars(db);
    cached = { at: Date.now(), calendars };
    // A failed read is not kept: the next step asks again.
    calendars.catch(() => {
      if (cached?.calendars === calendars) cached = undefined;
    });
  }
  return cached.calendars;
}

async function loadCalendars(db: Database | Knex.Transaction): Promise<AgencyCalendars> {
  const byAgency = new Map((await listAgencyCalendars(db)).map((settings) => [settings.agency, createWorkingCalendar(settings)]));
  return { calendarFor: (agency) => (agency === undefined ? undefined : byAgency.get(agency)) ?? defaultCalendar };
}

interface AgencyCalendarRow {
  agency: string;
  office_hours: AgencyCalendarSettings['officeHours'];
  working_weekdays: number[];
}

/** The stored calendars, unordered: all of them for the steps, a page of them for the API. */
export const agencyCalendarRows = (db: Database | Knex.Transaction) => db('agency_calendars').select('agency', 'office_hours', 'working_weekdays');

export const toAgencyCalendar = (row: AgencyCalendarRow): AgencyCalendarSettings => ({ agency: row.agency, officeHours: row.office_hours, workingWeekdays: row.working_weekdays });

export async function listAgencyCalendars(db: Database | Knex.Transaction): Promise<AgencyCalendarSettings[]> {
  const rows = (await agencyCalendarRows(db).orderBy('agency')) as AgencyCalendarRow[];
  return rows.map(toAgencyCalendar);
}

export const agencyCalendarBody = calendarSettingsSchema.pick({ officeHours: true, workingWeekdays: true });
export type AgencyCalendarBody = z.output<typeof agencyCalendarBody>;

/** Stores an agency's calendar after checking it builds (periods in order, not overlapping). */
export async function saveAgencyCalendar(db: Database, agency: string, settings: AgencyCalendarBody): Promise<AgencyCalendarSettings> {
  createWorkingCalendar(settings); // throws calendar.invalid-settings naming the period
  await db('agency_calendars')
    .insert({ agency, office_hours: JSON.stringify(settings.officeHours), working_weekdays: settings.workingWeekdays, updated_at: db.fn.now() })
    .onConflict('agency')
    .merge();
  cached = undefined;
  return { agency, ...settings };
}

export async function deleteAgencyCalendar(db: Database, agency: string): Promise<void> {
  const deleted = await db('agency_calendars').where({ agency }).delete();
  cached = undefined;
  if (deleted === 0) {
    throw new QuyTrinhError('not-found', 'calendar.not-found', { vi: `Cơ quan "${agency}" chưa có lịch làm việc riêng`, en: `Agency "${agency}" has no calendar of its own` }, [{ field: 'params.agency', message: 'no calendar for this agency' }]);
  }
}
