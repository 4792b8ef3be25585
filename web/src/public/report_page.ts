// /report: the public anonymous report. A worried adult or a child tells us what happened,
// something about the child, and optionally the people, vehicles and places involved. There
// is no sign-in and no name is asked for. The server answers with a reference and a secret
// code of eight words, shown here once, large, with advice to write them down.
//
// The body is the public subset of a concern (docs/import-formats.md, section 1): narrative,
// children, persons, vehicles, locations and links; the server adds the channel, the time and
// the PUBLIC agency. A 400 names a field path ("children/0/approx_age"), shown beside that input.

import type { Problem } from '../api/types';
import { h, replaceChildren } from '../dom';
import { ErrorSummary, SubmitButton, inputField, selectField, textareaField, type Choice, type Field, type FieldError } from '../forms';
import { kReportStatusPath } from '../public_paths';
import { Repeater, formPart, put, textJson, type JsonObject, type Row } from '../repeater';
import { helpBox, plainFieldMessage, plainProblem } from './common';
import { submitReport, type Receipt } from './public_api';
import type { PublicContext, PublicView } from './report_main';

const kChildSex: readonly Choice[] = [
  { value: '', label: 'Not sure' },
  { value: 'female', label: 'Girl' },
  { value: 'male', label: 'Boy' },
];

const kPersonSex: readonly Choice[] = [
  { value: '', label: 'Not sure' },
  { value: 'male', label: 'Male' },
  { value: 'female', label: 'Female' },
];

const kPersonRoles: readonly Choice[] = [
  { value: 'suspect', label: 'Someone I am worried about' },
  { value: 'associate', label: 'Someone else who was there, or who knows the child' },
];

const kPlaceKinds: readonly Choice[] = [
  { value: '', label: 'Choose one' },
  { value: 'private_address', label: 'Someone’s home' },
  { value: 'takeaway', label: 'Takeaway or café' },
  { value: 'taxi_firm', label: 'Taxi firm' },
  { value: 'hotel', label: 'Hotel' },
  { value: 'park', label: 'Park' },
  { value: 'school', label: 'School' },
  { value: 'shop', label: 'Shop' },
  { value: 'other', label: 'Somewhere else' },
];

const kChildRef = 'c1';
// Where the child might be goes in as a place the child is linked to ("possible": unverified).
const kWhereRef = 'w1';

export function reportPage(ctx: PublicContext): PublicView {
  const page = h('div', { class: 'public-page' });
  const showReceipt = (receipt: Receipt): void => {
    const view = receiptView(ctx, receipt);
    replaceChildren(page, view.content);
    document.title = 'Your report has been sent – Safeguard';
    ctx.focus(view.heading);
  };
  replaceChildren(
    page,
    h('h1', {}, 'Tell us you are worried about a child'),
    h('p', { class: 'lede' }, 'Use this page if you think a child or young person is being hurt, or is not safe. You do not need to give your name.'),
    helpBox(),
    aboutSection(),
    reportForm(ctx, showReceipt),
  );
  return { title: 'Tell us you are worried about a child', content: page };
}

function aboutSection(): HTMLElement {
  return h(
    'section',
    { class: 'public-section', 'aria-labelledby': 'next-heading' },
    h('h2', { id: 'next-heading' }, 'What happens next'),
    h(
      'ol',
      { class: 'steps' },
      h('li', {}, 'You tell us what happened, using the form below.'),
      h('li', {}, 'We give you a reference and a secret code of eight words. Write them down and keep them safe.'),
      h('li', {}, 'A team whose job is to keep children safe reads your report, usually by the end of the next working day, and decides what to do.'),
      h('li', {}, 'You can use your code on this website to see how things are going, read messages from the team, and tell us more.'),
    ),
    h('h2', { class: 'public-section__subtitle' }, 'You can stay anonymous'),
    h('p', {}, 'We do not ask for your name. We do not keep your internet address or details of your phone or computer. Only tell us who you are if you want to.'),
  );
}

interface ChildFields {
  given_name: Field<HTMLInputElement>;
  approx_age: Field<HTMLInputElement>;
  sex: Field<HTMLSelectElement>;
  where: Field<HTMLInputElement>;
}

function reportForm(ctx: PublicContext, onSent: (receipt: Receipt) => void): HTMLFormElement {
  const summary = new ErrorSummary();
  const narrative = textareaField({
    label: 'Tell us in your own words',
    hint: 'What you saw or heard, when it happened and where. You can write as much or as little as you like.',
    rows: 8,
    maxlength: 20000,
  });

  const child: ChildFields = {
    given_name: inputField({ label: 'First name', optional: true, hint: 'If you know it.' }),
    approx_age: inputField({ label: 'About how old are they?', optional: true, hint: 'In years, for example 14. A guess is fine.', inputmode: 'numeric' }),
    sex: selectField({ label: 'Are they a girl or a boy?', optional: true, choices: kChildSex }),
    where: inputField({ label: 'Where might they be?', optional: true, hint: 'A street, a place or an area, if you know.' }),
  };
  child.given_name.control.maxLength = 100;
  child.approx_age.control.maxLength = 3;
  child.where.control.maxLength = 200;
  // The child part's own error: none of name, age or sex was given.
  const childErrorId = 'child-error';
  const childError = h('p', { id: childErrorId, class: 'field__error', hidden: true });
  const childPart = formPart(
    'The child or young person',
    'Tell us at least one of these: their first name, about how old they are, or if they are a girl or a boy.',
    childError,
    h('div', { class: 'field-row field-row--2' }, child.given_name.element, child.approx_age.element),
    h('div', { class: 'field-row field-row--2' }, child.sex.element, child.where.element),
  );
  const setChildError = (message: string | null): void => {
    replaceChildren(childError, message === null ? null : h('span', { class: 'visually-hidden' }, 'Error: '), message);
    childError.hidden = message === null;
    childPart.classList.toggle('form-part--error', message !== null);
    if (message === null) childPart.removeAttribute('aria-describedby');
    else childPart.setAttribute('aria-describedby', childErrorId);
  };

  const persons = new Repeater({
    noun: 'Person',
    addLabel: 'Add a person',
    refPrefix: 'p',
    min: 0,
    build: () => {
      const fields: Record<string, Field> = {
        role: selectField({ label: 'Who are they?', choices: kPersonRoles }),
        full_name: inputField({ label: 'Name', optional: true }),
        nickname: inputField({ label: 'Nickname', optional: true, hint: 'Or what people call them.' }),
        sex: selectField({ label: 'Male or female?', optional: true, choices: kPersonSex }),
        approx_age: inputField({ label: 'About how old?', optional: true, hint: 'A guess is fine.', inputmode: 'numeric' }),
        relationship: inputField({ label: 'How do they know the child?', optional: true, hint: 'For example: neighbour, older friend, taxi driver.' }),
      };
      return {
        fields,
        layout: [['role'], ['full_name', 'nickname'], ['sex', 'approx_age'], ['relationship']],
        toJson: () => textJson(fields, ['full_name', 'nickname', 'sex', 'approx_age', 'relationship']),
      };
    },
  });

  const vehicles = new Repeater({
    noun: 'Vehicle',
    addLabel: 'Add a vehicle',
    refPrefix: 'v',
    min: 0,
    build: () => {
      const fields: Record<string, Field> = {
        registration: inputField({ label: 'Number plate', optional: true, hint: 'All or part of it. Use ? for letters or numbers you could not see.', spellcheck: false }),
        colour: inputField({ label: 'Colour', optional: true }),
        make: inputField({ label: 'Make', optional: true, hint: 'For example Ford or Toyota.' }),
      };
      return { fields, layout: [['registration'], ['colour', 'make']], toJson: () => textJson(fields, ['registration', 'colour', 'make']) };
    },
  });

  const places = new Repeater({
    noun: 'Place',
    addLabel: 'Add a place',
    refPrefix: 'l',
    min: 0,
    build: () => {
      const fields: Record<string, Field> = {
        kind: selectField({ label: 'What kind of place?', choices: kPlaceKinds }),
        name: inputField({ label: 'Name of the place', optional: true }),
        address: inputField({ label: 'Address or street', optional: true }),
      };
      return {
        fields,
        layout: [['kind'], ['name', 'address']],
        toJson: () => {
          const place = textJson(fields, ['name', 'address']);
          const kind = fields['kind']?.control.value ?? '';
          if (place === null && kind === '') return null;
          return { ...(place ?? {}), kind };
        },
      };
    },
  });
  for (const repeater of [persons, vehicles, places]) repeater.element.classList.add('repeater--optional');

  const submit = new SubmitButton('Send my report', 'Sending…');
  const form = h(
    'form',
    { class: 'report-form', novalidate: true, 'aria-labelledby': 'report-form-heading' },
    h('h2', { id: 'report-form-heading' }, 'Your report'),
    summary.element,
    formPart('What happened', null, narrative.element),
    childPart,
    formPart('People (if you know)', 'Anyone who is hurting the child or putting them at risk, or anyone else who was there. Leave this out if you do not know.', persons.element),
    formPart('Cars or other vehicles (if you know)', 'For example a car the child was seen getting into.', vehicles.element),
    formPart('Places (if you know)', 'Where things happened, or where the child goes.', places.element),
    h('p', { class: 'hint-text' }, 'When you send your report, we will give you a reference and a secret code. You will only see the code once.'),
    h('div', { class: 'form-actions' }, submit.element),
  );

  // Rows as sent, so a server error on "persons/1/nickname" finds the second person sent.
  let sentPersons: Row[] = [];
  let sentVehicles: Row[] = [];
  let sentPlaces: Row[] = [];
  const rowFields = (): Field[] => [persons, vehicles, places].flatMap((g) => g.rows.flatMap((r) => Object.values(r.fields)));
  const allFields = (): Field[] => [narrative, child.given_name, child.approx_age, child.sex, child.where, ...rowFields()];

  const fail = (errors: FieldError[], field: Field, message: string): void => {
    field.setError(message);
    errors.push({ message, control: field.control });
  };

  /** The report body and the problems to fix before sending. */
  const build = (): { report: JsonObject; errors: FieldError[] } => {
    const errors: FieldError[] = [];
    const report: JsonObject = {};
    const text = narrative.control.value.trim();
    if (text === '') fail(errors, narrative, 'Tell us what happened.');
    report['narrative'] = text;

    const kid: JsonObject = { ref: kChildRef };
    put(kid, 'given_name', child.given_name.control.value);
    const age = child.approx_age.control.value.trim();
    if (age !== '') {
      if (/^\d{1,3}$/.test(age)) kid['approx_age'] = Number(age);
      else fail(errors, child.approx_age, 'Write the age in years as a number, for example 14.');
    }
    put(kid, 'sex', child.sex.control.value);
    if (kid['given_name'] === undefined && age === '' && kid['sex'] === undefined) {
      const message = 'Tell us at least one thing about the child: their first name, about how old they are, or if they are a girl or a boy.';
      setChildError(message);
      errors.push({ message, control: child.given_name.control });
    }
    report['children'] = [kid];

    const people: JsonObject[] = [];
    sentPersons = [];
    for (const row of persons.rows) {
      if (row.toJson() === null) continue; // Nothing but the role: left empty.
      const f = row.fields;
      const person: JsonObject = { ref: row.ref, role: f['role']?.control.value ?? 'suspect' };
      for (const key of ['full_name', 'nickname', 'sex', 'relationship']) put(person, key, f[key]?.control.value ?? '');
      const personAge = f['approx_age']?.control.value.trim() ?? '';
      if (personAge !== '') {
        if (/^\d{1,3}$/.test(personAge)) person['approx_age'] = Number(personAge);
        else if (f['approx_age'] !== undefined) fail(errors, f['approx_age'], `${row.legend.textContent ?? 'Person'}: write the age in years as a number, for example 30.`);
      }
      if (person['full_name'] === undefined && person['nickname'] === undefined && person['sex'] === undefined && personAge === '') {
        const first = f['full_name'];
        if (first !== undefined) fail(errors, first, `${row.legend.textContent ?? 'Person'}: tell us a name, a nickname, about how old they are, or whether they are male or female.`);
      }
      people.push(person);
      sentPersons.push(row);
    }
    if (people.length > 0) report['persons'] = people;

    const cars: JsonObject[] = [];
    sentVehicles = [];
    for (const row of vehicles.rows) {
      const vehicle = row.toJson();
      if (vehicle === null) continue;
      cars.push({ ref: row.ref, ...vehicle });
      sentVehicles.push(row);
    }
    if (cars.length > 0) report['vehicles'] = cars;

    const locations: JsonObject[] = [];
    sentPlaces = [];
    for (const row of places.rows) {
      const place = row.toJson();
      if (place === null) continue;
      const where = row.legend.textContent ?? 'Place';
      const f = row.fields;
      if (place['kind'] === '' && f['kind'] !== undefined) fail(errors, f['kind'], `${where}: choose what kind of place it is.`);
      if (place['kind'] === 'private_address' && place['address'] === undefined && f['address'] !== undefined) {
        fail(errors, f['address'], `${where}: tell us the address or the street.`);
      } else if (place['name'] === undefined && place['address'] === undefined && f['name'] !== undefined) {
        fail(errors, f['name'], `${where}: tell us the name of the place, or where it is.`);
      }
      locations.push({ ref: row.ref, ...place });
      sentPlaces.push(row);
    }
    const whereText = child.where.control.value.trim();
    if (whereText !== '') {
      // Last, so that locations/0… still match the place rows.
      locations.push({ ref: kWhereRef, kind: 'other', name: whereText });
      report['links'] = [{ type: 'person_frequents_place', from: kChildRef, to: kWhereRef, confidence: 'possible' }];
    }
    if (locations.length > 0) report['locations'] = locations;
    return { report, errors };
  };

  // Finds the input a server field path names: "narrative", "children/0/approx_age",
  // "persons/1/nickname", "locations/2/name", or a whole item such as "children/0".
  const locate = (path: string): { field: Field | null; focus: HTMLElement; key: string } | null => {
    if (path === 'narrative') return { field: narrative, focus: narrative.control, key: 'narrative' };
    const [group = '', index = '', key = ''] = path.split('/');
    if (group === 'children') {
      const field = key === '' ? null : (child[key as keyof ChildFields] ?? null);
      return { field, focus: field?.control ?? child.given_name.control, key };
    }
    if (group === 'links') return { field: child.where, focus: child.where.control, key: 'name' };
    const rows = group === 'persons' ? sentPersons : group === 'vehicles' ? sentVehicles : group === 'locations' ? sentPlaces : null;
    if (rows === null) return null;
    const row = rows[Number(index)];
    if (row === undefined) {
      if (group === 'locations' && index !== '') return { field: child.where, focus: child.where.control, key: 'name' };
      return null;
    }
    const field = row.fields[key] ?? null;
    const first = Object.values(row.fields)[0];
    return { field, focus: field?.control ?? first?.control ?? row.element, key };
  };

  const showProblem = (problem: Problem): void => {
    const located = problem.status === 400 && problem.field !== undefined ? locate(problem.field) : null;
    if (located === null) {
      summary.show([{ message: plainProblem(problem) }], problem.status === 429 ? 'Please wait a little while' : 'Your report has not been sent');
      summary.element.focus();
      return;
    }
    const message = plainFieldMessage(located.key, problem.detail ?? problem.title);
    if (located.field !== null) located.field.setError(message);
    else setChildError(message);
    summary.show([{ message, control: located.focus }], 'Your report has not been sent');
    summary.element.focus();
  };

  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    for (const field of allFields()) field.setError(null);
    setChildError(null);
    summary.clear();
    const { report, errors } = build();
    if (errors.length > 0) {
      summary.show(errors, 'Please check your report');
      summary.element.focus();
      return;
    }
    busy = true;
    submit.setBusy(true);
    void submitReport(ctx.api, report).then((result) => {
      busy = false;
      submit.setBusy(false);
      if (result.ok) onSent(result.value);
      else showProblem(result.problem);
    });
  });
  return form;
}

// ---- The receipt -------------------------------------------------------------------------

function receiptView(ctx: PublicContext, receipt: Receipt): { content: HTMLElement; heading: HTMLElement } {
  const words = receipt.receipt_code.split(/[^A-Za-z]+/).filter((w) => w !== '');
  const heading = h('h1', {}, 'Thank you. We have your report.');
  const check = h('button', { type: 'button', class: 'button button--primary' }, 'Check on my report');
  // The code goes to the status page in memory only: never in the address or browser storage.
  check.addEventListener('click', () => ctx.navigate(kReportStatusPath, receipt.receipt_code));
  const content = h(
    'div',
    { class: 'receipt' },
    heading,
    h('p', { class: 'lede' }, 'A team whose job is to keep children safe will read it, usually by the end of the next working day.'),
    h(
      'section',
      { class: 'receipt__box', 'aria-labelledby': 'receipt-title' },
      h('h2', { id: 'receipt-title', class: 'receipt__title' }, 'Write these down now'),
      h('p', {}, 'You need them to check on your report, read messages from the team, or tell us more. ', h('strong', {}, 'We will not show you the secret code again, and we cannot look it up for you.')),
      h(
        'dl',
        { class: 'receipt__items' },
        h('dt', {}, 'Your reference'),
        h('dd', { class: 'receipt__reference' }, receipt.reference),
        h('dt', {}, `Your secret code (${words.length} words)`),
        h('dd', {}, h('ol', { class: 'receipt__code', 'aria-label': 'Secret code, word by word' }, ...words.map((w) => h('li', { class: 'receipt__word' }, w)))),
        h('dt', {}, 'The same code on one line'),
        h('dd', { class: 'receipt__code-line' }, receipt.receipt_code),
      ),
      h('p', { class: 'receipt__advice' }, 'Keep the code secret and somewhere safe. Anyone who has it can read the messages about your report. The reference is not secret, but the code is: do not share it.'),
    ),
    h('div', { class: 'form-actions' }, check),
    helpBox(),
  );
  return { content, heading };
}
