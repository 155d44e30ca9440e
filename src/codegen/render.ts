/** Renders the Handlebars templates in templates/ (generated C, linker scripts, startup code). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { PACKAGE_ROOT } from '../version.ts';

export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');

const hb = Handlebars.create();
const compiled = new Map<string, ReturnType<typeof hb.compile>>();

/** Renders templates/<name> with `view`; a field the template uses but `view` lacks is an error. */
export function renderTemplate(name: string, view: object): string {
  let template = compiled.get(name);
  if (!template) {
    const source = readFileSync(path.join(TEMPLATES_DIR, name), 'utf8');
    template = hb.compile(source, { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(view);
}
