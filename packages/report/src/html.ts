/**
 * Safe HTML building. `html` is a tagged template that escapes every interpolated value unless it is already
 * `SafeHtml` (markup built by this module, or an SVG from vega, which escapes its own text). So user strings are
 * escaped by default and raw markup has to be asked for by name.
 */
import { escapeHtml } from './escape.js';

export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.markup;
  if (value === null || value === undefined || value === false || value === true) return '';
  if (Array.isArray(value)) return (value as readonly Interpolation[]).map(render).join('');
  return escapeHtml(value);
}

export function html(strings: TemplateStringsArray, ...values: readonly Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let index = 0; index < values.length; index++) out += render(values[index]) + (strings[index + 1] ?? '');
  return new SafeHtml(out);
}

/** Trusted markup only: never pass a user string. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

export function join(parts: readonly SafeHtml[], separator = ''): SafeHtml {
  return new SafeHtml(parts.map((part) => part.markup).join(separator));
}

export const EMPTY = new SafeHtml('');

export interface TableColumn {
  readonly label: string;
  /** Right-aligned figures. */
  readonly numeric?: boolean;
  /** Visually hidden extra words for screen readers, e.g. the unit. */
  readonly srSuffix?: string;
}

export type TableCell = string | number | SafeHtml;

export interface TableOptions {
  readonly id: string;
  readonly caption: string | SafeHtml;
  readonly columns: readonly TableColumn[];
  /** The first cell of each row is a row header (`<th scope="row">`). */
  readonly rows: readonly (readonly TableCell[])[];
  readonly notes?: readonly (string | SafeHtml)[];
  readonly className?: string;
}

/** A data table: caption, column headers with scope, row headers, in a focusable scroll region for narrow screens. */
export function dataTable(options: TableOptions): SafeHtml {
  const captionId = `${options.id}-caption`;
  const head = options.columns.map(
    (column) =>
      html`<th scope="col"${column.numeric === true ? trusted(' class="num"') : EMPTY}>${column.label}${
        column.srSuffix !== undefined ? html`<span class="visually-hidden"> ${column.srSuffix}</span>` : EMPTY
      }</th>`,
  );
  const body = options.rows.map((row) => {
    const cells = row.map((cell, index) => {
      const numeric = options.columns[index]?.numeric === true;
      const cls = numeric ? trusted(' class="num"') : EMPTY;
      const content = cell instanceof SafeHtml ? cell : String(cell);
      return index === 0 ? html`<th scope="row"${cls}>${content}</th>` : html`<td${cls}>${content}</td>`;
    });
    return html`<tr>${cells}</tr>`;
  });
  const notes =
    options.notes !== undefined && options.notes.length > 0
      ? html`<div class="table-notes">${options.notes.map((note) => html`<p>${note}</p>`)}</div>`
      : EMPTY;
  return html`<div class="table-wrap${options.className !== undefined ? ` ${options.className}` : ''}" role="region" aria-labelledby="${captionId}" tabindex="0"><table id="${options.id}"><caption id="${captionId}">${options.caption}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>${notes}`;
}

/** A chart figure: caption (title + description), the inline SVG, and the same numbers in a collapsed table. */
export function chartFigure(options: {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly svg: string;
  readonly table: SafeHtml;
}): SafeHtml {
  return html`<figure class="chart" id="${options.id}"><figcaption><span class="figure-title">${options.title}</span> <span class="figure-description">${options.description}</span></figcaption><div class="chart-svg">${trusted(options.svg)}</div><details class="chart-data"><summary>Show the numbers in this chart<span class="visually-hidden">: ${options.title}</span></summary>${options.table}</details></figure>`;
}

/** A description list of label → value pairs. */
export function definitionList(items: readonly (readonly [string, string | SafeHtml])[], className = 'facts'): SafeHtml {
  return html`<dl class="${className}">${items.map(([term, value]) => html`<div><dt>${term}</dt><dd>${value}</dd></div>`)}</dl>`;
}
