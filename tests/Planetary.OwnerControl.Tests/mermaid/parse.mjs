// Reads Mermaid text on stdin and parses it with Mermaid's own parser in a headless DOM (jsdom).
// Exit 0: it parses (prints the diagram type); exit 1: a syntax error (printed on stderr); exit 2: no input.
import { JSDOM } from 'jsdom';

const { window } = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
globalThis.window = window;
globalThis.document = window.document;
globalThis.DOMParser = window.DOMParser;
globalThis.Element = window.Element;
globalThis.HTMLElement = window.HTMLElement;
globalThis.SVGElement = window.SVGElement;
globalThis.Node = window.Node;

const chunks = [];
for await (const chunk of process.stdin) {
  chunks.push(chunk);
}

const text = Buffer.concat(chunks).toString('utf8');
if (text.trim().length === 0) {
  console.error('no Mermaid text on stdin');
  process.exit(2);
}

const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
try {
  const result = await mermaid.parse(text);
  console.log(`ok: ${result.diagramType}`);
  process.exit(0);
} catch (error) {
  console.error(`mermaid parse error: ${error?.message ?? error}`);
  process.exit(1);
}
