import { Router } from 'express';
import { z } from 'zod';
import { isQuyTrinhError, QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { agencyCalendarBody, agencyCalendarRows, deleteAgencyCalendar, saveAgencyCalendar, toAgencyCalendar } from '../execution/agency-calendars.ts';
import { pageOf, pageQuery, type Keyset } from './pagination.ts';
import { keyString } from './input-limits.ts';
import { validate } from './problem.ts';

const agencyParams = z.object({ agency: keyString });
/** By agency name, the primary key. */
const byAgency: Keyset = { name: 'calendars', keys: [{ sql: 'agency', kind: 'text' }] };

/**
 * `/api/calendars`: each agency's office hours and working weekdays. An agency is a lane name
 * (the candidate group of the user tasks in it); one without a calendar works the default,
 * Mon–Fri 08:00–12:00 and 13:00–17:00. Public holidays are the nation's for every agency.
 */
export function calendarsRouter(db: Database): Router {
  const router = Router();

  router.get('/calendars', async (request, response) => {
    response.json(await pageOf(db, agencyCalendarRows(db), byAgency, validate(pageQuery, request.query, 'query'), toAgencyCalendar));
  });

  router.put('/calendars/:agency', async (request, response) => {
    const { agency } = validate(agencyParams, request.params, 'params');
    const settings = validate(agencyCalendarBody, request.body ?? {}, 'body');
    try {
      response.json(await saveAgencyCalendar(db, agency, settings));
    } catch (error) {
      // The calendar names the period at fault (officeHours.1); the client sent it in the body.
      if (isQuyTrinhError(error)) throw new QuyTrinhError(error.kind, error.code, error.text, error.details.map((detail) => ({ ...detail, field: detail.field && `body.${detail.field}` })));
      throw error;
    }
  });

  router.delete('/calendars/:agency', async (request, response) => {
    const { agency } = validate(agencyParams, request.params, 'params');
    await deleteAgencyCalendar(db, agency);
    response.status(204).end();
  });

  return router;
}
