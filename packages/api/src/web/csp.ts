/**
 * The studio's Content-Security-Policy: everything from this origin, nothing inline,
 * no other origin at all. Clip audio and covers come through the API as blobs (see
 * routes/clip-media.ts), hence `blob:` for media and images. Trusted Types are required
 * and no policy may be made, so no string can ever become HTML or script.
 */
export const STUDIO_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

/** Clip media proxied from a provider: never run as a document, whatever it contains (an SVG cover may hold script). */
export const MEDIA_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
