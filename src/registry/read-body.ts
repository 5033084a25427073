import { isTemporary } from "../errors.js";
import { discardBody, type ErrorContext, errorFromResponse } from "./response.js";
import { isTransientFailure } from "./retry.js";
import type { RegistryCall, RegistrySession } from "./session.js";
import type { HttpResponse } from "./transport.js";

/**
 * Sends a GET and reads its 200 body with `read`. The transport retries a request that got no
 * answer; this also retries one whose answer broke off mid-body (a reset, a stall, a truncated
 * or garbled body that `read` rejects as temporary), as blob GETs resume theirs, up to the
 * client's retry bound. Another status is a RegistryError for `context`; the last failure is thrown.
 */
export async function getAndRead<T>(
  session: RegistrySession,
  call: RegistryCall,
  context: ErrorContext,
  read: (res: HttpResponse) => Promise<T>,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const res = await session.send(call);
    if (res.status !== 200) throw await errorFromResponse(res, context);
    try {
      return await read(res);
    } catch (error) {
      if (call.signal?.aborted || attempt >= session.maxRetries) throw error;
      if (!isTransientFailure(error) && !isTemporary(error)) throw error;
      await discardBody(res.body).catch(() => undefined);
      await session.pauseBeforeRetry(call.registry, attempt, call.signal);
    }
  }
}
