/** Working time on the Vietnamese calendar: office hours, weekends, public holidays (solar and lunar). */
export { addWorkingDays, addWorkingHours, createWorkingCalendar, workingHoursBetween, calendarSettingsSchema } from './working-time.ts';
export type { CalendarSettings, WorkingCalendar } from './working-time.ts';
export { daysOff, lawHolidays, nationalDayAdjacent, officialDaysSchema, shippedOfficialDays } from './holidays.ts';
export type { DayOff, HolidayGroup, OfficialDays } from './holidays.ts';
export { lunarNewYear, lunarToSolar, lunarMonthsAround } from './lunar.ts';
export type { LunarMonth } from './lunar.ts';
export { VIETNAM_TIME_ZONE, vietnamDateOf, vietnamInstant } from './civil-date.ts';
export { timerDueAt, timerProblem, timerRounds } from './timers.ts';
export { workingTimeline, type WorkingTimeline } from './working-timeline.ts';
export type { CivilDate } from './civil-date.ts';
