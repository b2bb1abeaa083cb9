import type { ChatRequest, CheckOptions } from '../types.js';
import { buildGeminiRequest } from './build-gemini-request.js';
import type { ContentsContext } from './convert-to-gemini-contents.js';

/** Never aborted: a check does no I/O that could be cut short. */
const NEVER_ABORTED = new AbortController().signal;

/** Stands in for the image download: a check must not fetch, and a download's own refusal belongs to the call. */
async function imageNotDownloaded(): Promise<{ mimeType: string; base64: string }> {
  return { mimeType: 'image/png', base64: '' };
}

/**
 * Runs the whole request translation, as the call will, and discards the body: every 400 the
 * request's own content earns is thrown here, before anything is counted or sent. An http(s)
 * image is taken as downloadable when the deployment may download images at all.
 */
export async function checkGeminiChatRequest(request: ChatRequest, options: CheckOptions, downloadsImages: boolean): Promise<void> {
  const context: ContentsContext = {
    fetchImage: downloadsImages ? imageNotDownloaded : undefined,
    signal: NEVER_ABORTED,
    signatureForReplay: () => undefined,
  };
  await buildGeminiRequest(request, options, context);
}
