import type { Base64ImageSource, ImageBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { invalidField } from '../shared/unsupported-parameters.js';

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;

/** The only inline image types the Messages API takes. */
const MEDIA_TYPES: ReadonlyMap<string, Base64ImageSource['media_type']> = new Map([
  ['image/jpeg', 'image/jpeg'],
  ['image/jpg', 'image/jpeg'], // a common misspelling of the registered type
  ['image/png', 'image/png'],
  ['image/gif', 'image/gif'],
  ['image/webp', 'image/webp'],
]);

/**
 * An OpenAI `image_url` → an Anthropic image block. A `data:` URL becomes a base64 source; an
 * http(s) URL is handed to Anthropic as a URL source (Anthropic downloads it, so the gateway's
 * own network and private-address policy are not involved). `detail` has no equivalent.
 */
export function convertImageUrl(url: string, param: string): ImageBlockParam {
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  if (!url.startsWith('data:')) {
    throw invalidField(param, `The image URL at '${param}' must be an http(s) or data: URL.`);
  }
  const match = DATA_URL.exec(url);
  if (match === null) throw invalidField(param, `The data: URL at '${param}' is malformed.`);
  const [, declaredType = '', parameters = '', payload = ''] = match;
  const mediaType = MEDIA_TYPES.get(declaredType.trim().toLowerCase());
  if (mediaType === undefined) {
    throw invalidField(
      param,
      `The image at '${param}' has media type '${declaredType}'; Anthropic takes only image/jpeg, image/png, image/gif and image/webp.`,
    );
  }
  if (!parameters.split(';').some((parameter) => parameter.trim().toLowerCase() === 'base64')) {
    throw invalidField(param, `The data: URL at '${param}' must be base64-encoded (data:${mediaType};base64,…).`);
  }
  if (payload === '') throw invalidField(param, `The data: URL at '${param}' holds no image data.`);
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data: payload } };
}
