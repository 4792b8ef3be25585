// /concerns/new: raise a concern with POLE capture — the children, other people with their
// role, vehicles, phones, online accounts and places, the dated events and the risk
// indicators seen — and the narrative as told. It sends the concern document of
// docs/import-formats.md (section 1); the server fills in the user's agency. Problems the
// server finds come back naming a field path ("children/0/date_of_birth"), which this page
// turns into a message beside that input.

import { fetchRiskTool, raiseConcern } from '../api/casework_api';
import type { Indicator } from '../api/casework_types';
import type { Problem } from '../api/types';
import { h } from '../dom';
import { fromLocalInput, indicatorCategoryLabel, todayIso, toLocalInput } from '../format';
import {
  ErrorSummary,
  SubmitButton,
  fieldMessage,
  inputField,
  problemMessage,
  selectField,
  setChoices,
  textareaField,
  type Choice,
  type Field,
  type FieldError,
} from '../forms';
import { knownToHint, narrativeSuggestions, wholeYears } from '../concern_assist';
import type { PageView, SignedInContext } from '../page';
import { Repeater, formPart as part, put, textJson, type JsonObject, type Row } from '../repeater';
import { canWorkCases } from '../roles';

const kChannels: readonly Choice[] = [
  { value: '', label: 'Choose how it came in' },
  { value: 'phone', label: 'Phone' },
  { value: 'email', label: 'Email' },
  { value: 'in_person', label: 'In person' },
  { value: 'online_form', label: 'Online form' },
  { value: 'letter', label: 'Letter' },
  { value: 'anonymous', label: 'Anonymous report' },
];

const kSex: readonly Choice[] = [
  { value: '', label: 'Not recorded' },
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'unknown', label: 'Unknown' },
];

const kRoles: readonly Choice[] = [
  { value: '', label: 'Choose a role' },
  { value: 'suspect', label: 'Suspect' },
  { value: 'associate', label: 'Associate' },
  { value: 'relative', label: 'Relative' },
  { value: 'reporter', label: 'Reporter' },
  { value: 'professional', label: 'Professional' },
];

const kLocationKinds: readonly Choice[] = [
  { value: '', label: 'Choose a kind of place' },
  { value: 'private_address', label: 'Private address (used for parties)' },
  { value: 'takeaway', label: 'Takeaway' },
  { value: 'taxi_firm', label: 'Taxi firm' },
  { value: 'hotel', label: 'Hotel' },
  { value: 'park', label: 'Park' },
  { value: 'school', label: 'School' },
  { value: 'shop', label: 'Shop' },
  { value: 'address', label: 'Other address' },
  { value: 'other', label: 'Other place (for example a children’s home)' },
];

const kEventKinds: readonly Choice[] = [
  { value: '', label: 'Choose what happened' },
  { value: 'incident', label: 'Incident' },
  { value: 'missing_episode', label: 'Missing episode' },
  { value: 'sighting', label: 'Sighting' },
  { value: 'disclosure', label: 'Disclosure' },
  { value: 'other', label: 'Other' },
];

// Arrays whose items point at refs rather than carry one.
const kUnreferenced = new Set(['events', 'indicators']);

const kDobHint = 'As recorded: for example 2011-04-27, 27/04/2011, or just the year 2011.';
const kAgeHint = 'In years, when only an estimate was given.';

// ---- The page ----------------------------------------------------------------------------

export async function concernNewPage(ctx: SignedInContext): Promise<PageView> {
  const { api } = ctx.app;
  const { user } = ctx.session;
  if (!canWorkCases(user.role)) {
    return {
      title: 'Raise a concern',
      content: h('div', { class: 'page' }, h('h1', {}, 'Raise a concern'), h('p', {}, 'Your role cannot raise concerns.')),
    };
  }
  const tool = await fetchRiskTool(api);
  const indicators: Indicator[] = tool.ok ? tool.value.indicators : [];

  const summary = new ErrorSummary();
  const channel = selectField({ label: 'How the concern came in', choices: kChannels, required: true });
  const now = new Date();
  const received = inputField({
    label: 'Received',
    type: 'datetime-local',
    value: toLocalInput(now),
    hint: 'The date and time your agency received it. It cannot be in the future.',
    required: true,
  });
  const reference = inputField({ label: 'Your agency’s reference', optional: true, hint: 'For example a police incident number.' });
  const category = inputField({ label: 'Category', optional: true, hint: 'Your agency’s own classification, for example “missing” or “behaviour”.' });
  const narrative = textareaField({
    label: 'What was reported',
    hint: 'In the reporter’s words where you can: who, what, where and when. Include names, vehicles, phone numbers and places as they were given.',
    rows: 8,
    required: true,
    maxlength: 20000,
  });

  // An approximate age was given when the concern was received (today if that is unreadable).
  const ageOn = (): string => fromLocalInput(received.control.value)?.slice(0, 10) ?? todayIso();

  // Selects that name a child (events, indicators) follow the children as they are edited.
  const childSelects: Array<{ select: HTMLSelectElement; allowAll: boolean }> = [];
  const childChoices = (allowAll: boolean): Choice[] => {
    const choices = children.rows.map((row, i) => {
      const name = [row.fields['given_name']?.control.value.trim(), row.fields['family_name']?.control.value.trim()].filter((s) => s !== undefined && s !== '').join(' ');
      return { value: row.ref, label: name === '' ? `Child ${i + 1}` : `Child ${i + 1}: ${name}` };
    });
    return allowAll && choices.length > 1 ? [{ value: '', label: 'All the children named' }, ...choices] : choices;
  };
  const refreshChildSelects = (): void => {
    for (const { select, allowAll } of childSelects) setChoices(select, childChoices(allowAll));
  };

  const children: Repeater = new Repeater({
    noun: 'Child',
    addLabel: 'Add another child',
    refPrefix: 'c',
    min: 1,
    onChange: () => refreshChildSelects(),
    build: () => {
      const fields: Record<string, Field> = {
        given_name: inputField({ label: 'Given name', optional: true }),
        family_name: inputField({ label: 'Family name', optional: true }),
        nickname: inputField({ label: 'Known as', optional: true }),
        date_of_birth: inputField({ label: 'Date of birth', optional: true, hint: kDobHint, spellcheck: false }),
        approx_age: inputField({ label: 'Approximate age', optional: true, hint: kAgeHint, inputmode: 'numeric' }),
        sex: selectField({ label: 'Sex', choices: kSex, optional: true }),
        'identifiers/nhs_number': inputField({ label: 'NHS number', optional: true, inputmode: 'numeric', spellcheck: false }),
        'identifiers/upn': inputField({ label: 'School UPN', optional: true, spellcheck: false }),
        'identifiers/pnc_id': inputField({ label: 'PNC ID', optional: true, spellcheck: false }),
      };
      for (const key of ['given_name', 'family_name']) fields[key]?.control.addEventListener('input', refreshChildSelects);
      return {
        fields,
        layout: [['given_name', 'family_name', 'nickname'], ['date_of_birth', 'approx_age', 'sex'], ['identifiers/nhs_number', 'identifiers/upn', 'identifiers/pnc_id']],
        // A child is always sent, even blank, so the server names the row that needs a detail.
        toJson: () => personJson(fields, ageOn()) ?? {},
        extra: knownToHint(api, fields, ageOn),
      };
    },
  });

  const persons = new Repeater({
    noun: 'Person',
    addLabel: 'Add a person',
    refPrefix: 'p',
    min: 0,
    build: () => {
      const fields: Record<string, Field> = {
        role: selectField({ label: 'Role', choices: kRoles }),
        relationship: inputField({ label: 'Relationship to the child', optional: true, hint: 'For example mother, teacher, taxi driver.' }),
        given_name: inputField({ label: 'Given name', optional: true }),
        family_name: inputField({ label: 'Family name', optional: true }),
        nickname: inputField({ label: 'Known as', optional: true, hint: 'A street name or nickname.' }),
        date_of_birth: inputField({ label: 'Date of birth', optional: true, hint: kDobHint, spellcheck: false }),
        approx_age: inputField({ label: 'Approximate age', optional: true, hint: kAgeHint, inputmode: 'numeric' }),
        phone: inputField({ label: 'Phone', type: 'tel', optional: true }),
      };
      return {
        fields,
        layout: [['role', 'relationship'], ['given_name', 'family_name', 'nickname'], ['date_of_birth', 'approx_age', 'phone']],
        extra: knownToHint(api, fields, ageOn),
        toJson: () => {
          const person = personJson(fields, ageOn());
          const role = fields['role']?.control.value ?? '';
          if (person === null && role === '') return null;
          return { ...(person ?? {}), role };
        },
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
        registration: inputField({ label: 'Registration', optional: true, hint: 'As seen; use ? for characters not read, for example YX65 K??.', spellcheck: false }),
        make: inputField({ label: 'Make', optional: true }),
        model: inputField({ label: 'Model', optional: true }),
        colour: inputField({ label: 'Colour', optional: true }),
      };
      return { fields, layout: [['registration'], ['make', 'model', 'colour']], toJson: () => textJson(fields, ['registration', 'make', 'model', 'colour']) };
    },
  });

  const phones = new Repeater({
    noun: 'Phone',
    addLabel: 'Add a phone number',
    refPrefix: 't',
    min: 0,
    build: () => {
      const fields: Record<string, Field> = { number: inputField({ label: 'Number', type: 'tel', hint: 'Any format, as given.' }) };
      return { fields, layout: [['number']], toJson: () => textJson(fields, ['number']) };
    },
  });

  const accounts = new Repeater({
    noun: 'Online account',
    addLabel: 'Add an online account',
    refPrefix: 'a',
    min: 0,
    build: () => {
      const fields: Record<string, Field> = {
        platform: inputField({ label: 'Platform', hint: 'For example Snapchat, Instagram, WhatsApp.' }),
        handle: inputField({ label: 'Handle', spellcheck: false }),
      };
      return { fields, layout: [['platform', 'handle']], toJson: () => textJson(fields, ['platform', 'handle']) };
    },
  });

  const locations = new Repeater({
    noun: 'Place',
    addLabel: 'Add a place',
    refPrefix: 'l',
    min: 0,
    build: () => {
      const fields: Record<string, Field> = {
        kind: selectField({ label: 'Kind of place', choices: kLocationKinds }),
        name: inputField({ label: 'Name', optional: true }),
        address: inputField({ label: 'Address', optional: true }),
        postcode: inputField({ label: 'Postcode', optional: true, spellcheck: false }),
      };
      return {
        fields,
        layout: [['kind', 'name'], ['address', 'postcode']],
        toJson: () => {
          const place = textJson(fields, ['name', 'address', 'postcode']);
          const kind = fields['kind']?.control.value ?? '';
          if (place === null && kind === '') return null;
          return { ...(place ?? {}), kind };
        },
      };
    },
  });

  const events = new Repeater({
    noun: 'Event',
    addLabel: 'Add an event',
    refPrefix: 'e',
    min: 0,
    build: () => {
      const child = selectField({ label: 'Which child', choices: childChoices(false) });
      childSelects.push({ select: child.control, allowAll: false });
      const fields: Record<string, Field> = {
        kind: selectField({ label: 'What happened', choices: kEventKinds }),
        date: inputField({ label: 'Date', type: 'date', max: todayIso() }),
        child,
      };
      return {
        fields,
        layout: [['kind', 'date', 'child']],
        toJson: () => {
          const kind = fields['kind']?.control.value ?? '';
          const date = fields['date']?.control.value ?? '';
          if (kind === '' && date === '') return null;
          const out: JsonObject = { kind, date };
          put(out, 'child', child.control.value);
          return out;
        },
      };
    },
  });

  const indicatorChoices = [{ value: '', label: indicators.length === 0 ? 'The indicator list could not be loaded' : 'Choose an indicator' }];
  const indicatorGroups = ['vulnerability', 'moderate', 'significant'].map((category) => ({
    label: `${indicatorCategoryLabel(category)}s`,
    choices: indicators.filter((i) => i.category === category).map((i) => ({ value: i.code, label: i.label })),
  }));
  const riskIndicators = new Repeater({
    noun: 'Indicator',
    addLabel: 'Add a risk indicator',
    refPrefix: 'i',
    min: 0,
    build: () => {
      const child = selectField({ label: 'For which child', choices: childChoices(true) });
      childSelects.push({ select: child.control, allowAll: true });
      const fields: Record<string, Field> = {
        code: selectField({ label: 'Indicator', choices: indicatorChoices, groups: indicatorGroups }),
        observed_on: inputField({ label: 'Observed on', type: 'date', value: todayIso(), max: todayIso() }),
        child,
      };
      return {
        fields,
        layout: [['code'], ['observed_on', 'child']],
        toJson: () => {
          const code = fields['code']?.control.value ?? '';
          if (code === '') return null;
          const out: JsonObject = { code, observed_on: fields['observed_on']?.control.value ?? '' };
          put(out, 'child', child.control.value);
          return out;
        },
      };
    },
  });

  const groups: Record<string, Repeater> = {
    children,
    persons,
    vehicles,
    phones,
    online_accounts: accounts,
    locations,
    events,
    indicators: riskIndicators,
  };
  const topFields: Record<string, Field> = { channel, received_at: received, id: reference, category, narrative };

  const suggestions = narrativeSuggestions(api, narrative, { vehicles, phones, accounts, locations, events });
  const submit = new SubmitButton('Record the concern', 'Recording…');
  const form = h(
    'form',
    { class: 'concern-form', novalidate: true, 'aria-labelledby': 'concern-heading' },
    summary.element,
    part('About the concern', `Recorded for ${user.agency.name}.`, channel.element, received.element, h('div', { class: 'field-row field-row--2' }, reference.element, category.element), narrative.element, suggestions),
    part('Children', 'Each child named gets their own case. Give what is known; names, a date of birth or an identifier help link earlier concerns.', children.element),
    part('What happened, and when', 'The dated events the concern describes. Missing episodes count towards repeat-missing alerts.', events.element),
    part('Risk indicators', 'Indicators of exploitation seen, from the CSE screening tool, with the date each was observed.', riskIndicators.element),
    part('Other people', 'Suspects, associates, relatives, the reporter and professionals, each with their role.', persons.element),
    part('Vehicles', null, vehicles.element),
    part('Phones', null, phones.element),
    part('Online accounts', null, accounts.element),
    part('Places', 'Addresses and places, with their kind: takeaways, taxi firms, hotels, parks, schools, private addresses.', locations.element),
    h('div', { class: 'form-actions form-actions--sticky' }, submit.element, h('a', { href: '/', class: 'button button--link' }, 'Cancel')),
  );

  // Submitted rows by array key, so an error path "children/0/…" finds the row it is about.
  let sentRows: Record<string, Row[]> = {};
  const allFields = (): Field[] => [...Object.values(topFields), ...Object.values(groups).flatMap((g) => g.rows.flatMap((r) => Object.values(r.fields)))];

  const build = (): { concern: JsonObject; errors: FieldError[] } => {
    const errors: FieldError[] = [];
    const concern: JsonObject = { channel: channel.control.value };
    const at = fromLocalInput(received.control.value);
    if (at === null) {
      received.setError('Enter the date and time it was received');
      errors.push({ message: 'Enter the date and time it was received', control: received.control });
    } else {
      concern['received_at'] = at;
    }
    if (channel.control.value === '') {
      channel.setError('Choose how the concern came in');
      errors.push({ message: 'Choose how the concern came in', control: channel.control });
    }
    put(concern, 'id', reference.control.value);
    put(concern, 'category', category.control.value);
    concern['narrative'] = narrative.control.value.trim();
    if (narrative.control.value.trim() === '') {
      narrative.setError('Enter what was reported');
      errors.push({ message: 'Enter what was reported', control: narrative.control });
    }
    sentRows = {};
    for (const [key, group] of Object.entries(groups)) {
      const { items, rows } = group.collect();
      // Items get their row's ref, which stays the same while rows come and go, so the
      // events and indicators that name a child keep pointing at the right one.
      concern[key] = kUnreferenced.has(key) ? items : items.map((item, i) => ({ ref: rows[i]?.ref, ...item }));
      sentRows[key] = rows;
    }
    return { concern, errors };
  };

  const showProblem = (problem: Problem): void => {
    const located = locate(problem.field);
    const detail = problemMessage(problem);
    if (located === null) {
      summary.show([{ message: problem.field === undefined ? detail : `${problem.field}: ${detail}` }], problem.status === 400 ? 'The concern was not recorded' : 'Something went wrong');
      summary.element.focus();
      return;
    }
    const message = located.field === null ? `${located.where}: ${detail}` : fieldMessage(located.field.label, detail);
    located.field?.setError(message);
    summary.show([{ message: located.where === '' || located.field === null ? message : `${located.where}: ${message}`, control: located.focus }], 'The concern was not recorded');
    summary.element.focus();
  };

  // Finds the input a server field path names: "narrative", "children/0/date_of_birth",
  // "indicators/1/code", "children/0/identifiers/nhs_number" or a whole item "persons/2".
  const locate = (path: string | undefined): { field: Field | null; focus: HTMLElement; where: string } | null => {
    if (path === undefined || path === '') return null;
    const top = topFields[path];
    if (top !== undefined) return { field: top, focus: top.control, where: '' };
    const [key = '', index, ...rest] = path.split('/');
    const group = groups[key];
    if (group === undefined) return null;
    const row = index === undefined ? undefined : sentRows[key]?.[Number(index)];
    if (row === undefined) return { field: null, focus: group.focusTarget(), where: key.replace(/_/g, ' ') };
    const where = row.legend.textContent ?? '';
    let inner = rest.join('/');
    if (inner === 'ref') inner = '';
    const field = row.fields[inner];
    if (field !== undefined) return { field, focus: field.control, where };
    const first = row.fields[Object.keys(row.fields)[0] ?? ''];
    return { field: null, focus: first?.control ?? row.element, where };
  };

  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    for (const field of allFields()) field.setError(null);
    summary.clear();
    const { concern, errors } = build();
    if (errors.length > 0) {
      summary.show(errors);
      summary.element.focus();
      return;
    }
    busy = true;
    submit.setBusy(true);
    void raiseConcern(api, concern).then((result) => {
      busy = false;
      submit.setBusy(false);
      if (!result.ok) {
        showProblem(result.problem);
        return;
      }
      const { new_case_ids, case_ids, alert_ids } = result.value;
      const caseId = new_case_ids[0] ?? case_ids[0];
      const alerts = alert_ids.length === 0 ? '' : ` It raised ${alert_ids.length} ${alert_ids.length === 1 ? 'alert' : 'alerts'}.`;
      const opened = new_case_ids.length > 0 ? `a new case was opened` : 'it was added to the open case';
      ctx.app.announce({ kind: 'info', text: `Concern recorded: ${opened}, with its referral decision in the MASH queue.${alerts}` });
      ctx.app.navigate(caseId === undefined ? '/' : `/cases/${encodeURIComponent(caseId)}`);
    });
  });

  const content = h(
    'div',
    { class: 'page page--form' },
    h('h1', { id: 'concern-heading' }, 'Raise a concern'),
    h('p', { class: 'lede' }, 'Record what was reported exactly as it was given. The concern gets a reference and a referral-decision clock as soon as it is recorded.'),
    tool.ok ? null : h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, `Risk indicators cannot be chosen: ${problemMessage(tool.problem)}`)),
    form,
  );
  return { title: 'Raise a concern', content };
}

/**
 * A person's JSON from its fields (identifiers nested), or null when nothing was entered. An
 * approximate age is sent as a number with `ageOn`, the date it was given; anything else typed
 * there is sent as it is, for the server to name the field.
 */
function personJson(fields: Record<string, Field>, ageOn: string): JsonObject | null {
  const out: JsonObject = {};
  const identifiers: JsonObject = {};
  for (const [path, field] of Object.entries(fields)) {
    if (path === 'role') continue;
    if (path === 'approx_age') {
      const text = field.control.value.trim();
      if (text === '') continue;
      const years = wholeYears(text);
      out['approx_age'] = years ?? text;
      out['age_recorded_on'] = ageOn;
      continue;
    }
    if (path.startsWith('identifiers/')) put(identifiers, path.slice('identifiers/'.length), field.control.value);
    else put(out, path, field.control.value);
  }
  if (Object.keys(identifiers).length > 0) out['identifiers'] = identifiers;
  return Object.keys(out).length === 0 ? null : out;
}
