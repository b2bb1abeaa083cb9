import type {
  Content,
  EmbedContentRequest,
  FunctionCallingMode,
  GenerateContentCandidate,
  GenerateContentResponse,
  GenerationConfig,
  Part,
  UsageMetadata,
} from '@google/generative-ai';
import type { JsonObject } from '../types.js';

/**
 * The v1beta wire as the gateway uses it. `@google/generative-ai` 0.24.1 types lag the REST API
 * (no `thoughtSignature`, `thought`, `seed`, `thoughtsTokenCount`, `outputDimensionality`), and
 * its `Schema` union cannot describe a schema translated from arbitrary JSON Schema. These
 * extensions are what the SDK serialises unchanged at runtime (wire-protocols §3).
 */

/** A part with the Gemini 3 extras: signatures on function calls, `thought` on reasoning parts. */
export type GeminiPart = Part & { thoughtSignature?: string; thought?: boolean };

export interface GeminiContent extends Omit<Content, 'parts'> {
  parts: GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  /** An OpenAPI-3.0-subset schema (see convert-json-schema-to-gemini-schema.ts). */
  parameters?: JsonObject;
}

export interface GeminiTool {
  functionDeclarations: GeminiFunctionDeclaration[];
}

export interface GeminiToolConfig {
  functionCallingConfig: { mode: FunctionCallingMode; allowedFunctionNames?: string[] };
}

export interface GeminiGenerationConfig extends Omit<GenerationConfig, 'responseSchema'> {
  seed?: number;
  responseSchema?: JsonObject;
}

export interface GeminiGenerateRequest {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent;
  tools?: GeminiTool[];
  toolConfig?: GeminiToolConfig;
  generationConfig?: GeminiGenerationConfig;
}

export interface GeminiUsageMetadata extends Partial<UsageMetadata> {
  thoughtsTokenCount?: number;
}

export interface GeminiCandidate extends Omit<GenerateContentCandidate, 'content'> {
  content?: { role?: string; parts?: GeminiPart[] };
}

/** A response, or one `alt=sse` chunk (each chunk is a complete response object). */
export interface GeminiResponse extends Omit<GenerateContentResponse, 'candidates' | 'usageMetadata'> {
  candidates?: GeminiCandidate[];
  usageMetadata?: GeminiUsageMetadata;
  responseId?: string;
  modelVersion?: string;
  /** Present when the provider fails after the stream started: the SDK yields it as a chunk. */
  error?: { code?: number; message?: string; status?: string };
}

export interface GeminiEmbedRequest extends EmbedContentRequest {
  outputDimensionality?: number;
}
