import { GatewayError, isGatewayError } from '../../errors.js';
import { invalidField } from '../shared/unsupported-parameters.js';
import type { ProviderSettings } from '../types.js';
import type { GeminiPart } from './gemini-wire-types.js';

/** The fetcher cannot know where in the request its URL was: a refusal of it names the part. */
function atParam(error: unknown, param: string): unknown {
  if (!isGatewayError(error) || error.layer !== 'request') return error;
  return new GatewayError(error.code, error.message, { param, ...(error.hint === undefined ? {} : { hint: error.hint }), cause: error });
}

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;

export interface ImageContext {
  fetchImage: ProviderSettings['fetchImage'];
  signal: AbortSignal;
}

/**
 * Gemini takes images only as inline data (`fileData` is for Files-API and gs:// URIs), so a
 * `data:` URL is decoded in place and an http(s) URL is downloaded by the gateway's fetcher,
 * which enforces the private-address policy and the size and time caps.
 */
export async function convertImageUrl(url: string, param: string, context: ImageContext): Promise<GeminiPart> {
  if (url.startsWith('data:')) return inlineDataFromDataUrl(url, param);
  if (/^https?:\/\//i.test(url)) {
    if (context.fetchImage === undefined) {
      throw new GatewayError('unsupported_parameter', 'Image URLs are not supported by this Gemini deployment; send the image as a data: URL.', {
        param,
        hint: 'Inline the image as data:<mime>;base64,… or ask a platform admin to enable image downloads.',
      });
    }
    let image: { mimeType: string; base64: string };
    try {
      image = await context.fetchImage(url, context.signal);
    } catch (error) {
      throw atParam(error, param);
    }
    return { inlineData: { mimeType: image.mimeType, data: image.base64 } };
  }
  throw invalidField(param, `The image URL at '${param}' must be an http(s) or data: URL.`);
}

function inlineDataFromDataUrl(url: string, param: string): GeminiPart {
  const match = DATA_URL.exec(url);
  if (match === null) throw invalidField(param, `The data: URL at '${param}' is malformed.`);
  const [, mimeType = '', parameters = '', payload = ''] = match;
  if (mimeType === '') throw invalidField(param, `The data: URL at '${param}' has no media type.`);
  const isBase64 = parameters.split(';').includes('base64');
  let data: string;
  try {
    data = isBase64 ? payload : Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
  } catch {
    throw invalidField(param, `The data: URL at '${param}' is not correctly percent-encoded.`);
  }
  return { inlineData: { mimeType, data } };
}
