// The admin API, called with the admin key as a bearer token. The key lives in this tab's
// sessionStorage only: closing the tab forgets it.
const KEY = "metaqore.adminKey";

export const savedKey = () => sessionStorage.getItem(KEY);
export const saveKey = (key) => sessionStorage.setItem(KEY, key);
export const forgetKey = () => sessionStorage.removeItem(KEY);

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// `answers`: statuses besides 2xx whose JSON body is an answer, not an error (verify's 409).
export async function api(path, { method = "GET", body, answers = [], headers: extra = {} } = {}) {
  const headers = { ...extra, authorization: `Bearer ${savedKey() ?? ""}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  if (!response.ok && !answers.includes(response.status)) {
    const message = data?.error?.message ?? `${response.status} ${response.statusText}`;
    // A key revoked or rotated while the page is open: back to the sign-in form.
    if (response.status === 401) window.dispatchEvent(new CustomEvent("admin-key-refused"));
    throw new ApiError(response.status, message);
  }
  return data;
}
