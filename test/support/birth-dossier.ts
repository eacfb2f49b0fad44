import { DEMO_PASSWORD } from '../../server/identity/demo.ts';
import type { ApiServer } from './api-server.ts';
import { BIRTH_CHILD } from './birth-application.ts';
import { callAs, type Credentials } from './identities.ts';

/** The catalogue's birth registration as `npm run demo` deploys it (server/identity/demo.ts). */
export const BIRTH_PROCEDURE = 'Process_dang_ky_khai_sinh';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
export const BIRTH_CERTIFICATE = 'Giấy chứng sinh (dữ liệu điện tử từ cơ sở khám chữa bệnh hoặc bản chụp)';

/** A demo account signed in over the API: its session cookie and CSRF token. */
export async function signInDemo(api: ApiServer, username: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${api.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  if (response.status !== 200) throw new Error(`sign-in as ${username} answered ${response.status}`);
  const body = (await response.json()) as { csrfToken: string };
  return { cookie: response.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken };
}

/** A citizen's real application for a birth registration through the portal's API (as test/server/dossier-journey.test.ts submits it). */
export async function submitBirthDossier(api: ApiServer, citizen: Credentials): Promise<{ id: string; code: string; instanceId: string }> {
  const form = await callAs(api, citizen, 'GET', `/api/portal/procedures/${BIRTH_PROCEDURE}/form`);
  if (form.status !== 200) throw new Error(`the form answered ${form.status}`);
  const submitted = await callAs(api, citizen, 'POST', '/api/dossiers', {
    procedureKey: BIRTH_PROCEDURE,
    formVersion: form.body.form.version,
    data: { ...form.body.prefill.values, ...BIRTH_CHILD },
    components: [{ name: BIRTH_CERTIFICATE, fileName: 'giay-chung-sinh.pdf', mediaType: 'application/pdf', contentBase64: PDF.toString('base64') }],
  });
  if (submitted.status !== 201) throw new Error(`the submission answered ${submitted.status}: ${JSON.stringify(submitted.body)}`);
  const dossier = submitted.body.dossier as { id: string; code: string; instanceId: string };
  return { id: dossier.id, code: dossier.code, instanceId: dossier.instanceId };
}
