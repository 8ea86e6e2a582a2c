// Prints the text of the PDF read from standard input, as pdf-parse (Mozilla's pdf.js) extracts it.
// A plain Node process: pdf.js loads its worker with a dynamic import, which jest's module sandbox refuses.
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { PDFParse } from 'pdf-parse';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
try {
  process.stdout.write((await parser.getText()).text);
} finally {
  await parser.destroy();
}
