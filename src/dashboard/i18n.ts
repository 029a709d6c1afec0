// Arabic and English for every page: words, direction, dates in the reader's time zone, and digits
// (Arabic-Indic or Latin) by choice. Formatting is Intl's; the words are ours.
export const LANGS = ['en', 'ar'] as const;
export type Lang = (typeof LANGS)[number];
export const DIGITS = ['latn', 'arab'] as const;
export type Digits = (typeof DIGITS)[number];

const en = {
  title: 'Canary tracer', signIn: 'Sign in', signOut: 'Sign out', token: 'API token', username: 'User name', password: 'Password',
  orPassword: 'or with a password an admin set up', signedInAs: 'Signed in as', badSignIn: 'That token or password was not accepted.',
  sessionEnded: 'Your session ended. Sign in again.', overview: 'Overview', channels: 'Channels', hits: 'Hits', campaigns: 'Campaigns',
  numbers: 'Numbers', evidence: 'Evidence log', access: 'Access', language: 'العربية', digits: 'Digits', latinDigits: '0123', arabicDigits: '٠١٢٣',
  timeZone: 'Time zone', apply: 'Apply', verdicts: 'Verdict per channel', channel: 'Channel', kind: 'Kind', verdict: 'Verdict',
  probability: 'Probability', canaries: 'Canaries', called: 'Called', firstContact: 'First contact', minutes: 'min', accessPattern: 'Access pattern',
  recentEvidence: 'Recent evidence hits', openCampaigns: 'Open campaigns', warnings: 'Warnings', noWarnings: 'No warnings.',
  missingNumbers: 'numbers are missing from the provider account', outputsDisabled: 'alert outputs were disabled after failing and send nothing until an admin enables them', releaseFailures: 'number releases failed and are retried hourly',
  forgedBurst: 'forged webhooks in ten minutes from', budgetNear: 'Numbers cost per month is near its cap', lookupNear: 'Caller look-ups today are near the daily budget',
  when: 'When', from: 'From', callerName: 'Caller name', to: 'To', classification: 'Classification', body: 'Message', status: 'Status',
  none: 'None.', more: 'Older', filter: 'Filter', since: 'From time', until: 'Until', canary: 'Canary', caller: 'Caller', any: 'any',
  live: 'New hits appear here as they arrive.', plantings: 'Canaries and plantings', exposedAt: 'Exposed', plantedAt: 'Planted', withdrawnAt: 'Withdrawn',
  target: 'Target', campaign: 'Campaign', hitsOverTime: 'Hits over time (per UTC day)', latency: 'First contact after exposure', reasons: 'Why this verdict',
  callers: 'Callers', party: 'Most likely leak party', probabilityChart: 'Probability that each channel leaks', rawParams: 'Every parameter as received',
  statusEvents: 'Status events', parameter: 'Parameter', value: 'Value', duration: 'Duration', seconds: 's', callerInfo: 'Caller look-up',
  design: 'Design', question: 'Question', progress: 'Progress', scheduled: 'scheduled', nextRound: 'Next round proposed', tickets: 'tickets',
  noProposal: 'No proposal', phone: 'Number', country: 'Country', control: 'Control', burnInEnds: 'Burn-in ends', costMonth: 'Cost / month',
  poolByStatus: 'Pool by status', hitsCount: 'Hits', missing: 'Missing since', releaseError: 'Release error', monthlyTotal: 'Monthly total',
  unprovenNote: 'Rows from before the upgrade that bound them, each bound as it was found then (a change since is caught, earlier ones cannot be):',
  chainOk: 'Chain intact', chainBroken: 'Chain broken at entry', factsBroken: 'Evidence does not verify:', verifiedAt: 'verified', entries: 'entries', seq: '#', subject: 'Subject', payload: 'Payload', newer: 'Newer',
  forbidden: 'Your role may not see this page.', notFound: 'Nothing here.', errorTitle: 'Something went wrong', users: 'Dashboard users',
  addUser: 'Add a user with a password', role: 'Role', created: 'Created', disabled: 'Disabled', disable: 'Disable', add: 'Add',
  day: 'Day', count: 'Count', model: 'Model', background: 'background calls per number-day', controlCalls: 'calls per control number-day',
  leaking: 'leaking', suspect: 'suspect', clean: 'clean', undetermined: 'undetermined', 'no-data': 'no data', kindCall: 'call', kindSms: 'SMS',
  'after-planting': 'after planting', 'before-planting': 'before planting', unmatched: 'unmatched', 'burn-in': 'burn-in', 'control-hit': 'control',
  yes: 'yes', no: 'no', hours: 'h', reasonsInEnglish: 'The decoder states its reasons in English.', back: 'Back', viewAll: 'All hits', skip: 'Skip to content',
  // Parties and cases.
  parties: 'Parties', cases: 'Cases', name: 'Name', proposed: 'proposed', accepted: 'accepted', calls: 'Calls', smsCount: 'SMS',
  channelsImplicated: 'Channels implicated', lastContact: 'Last contact', nameOrNumber: 'Name or number',
  'access-live': 'live (read as tickets arrive)', 'access-same-day': 'same day', 'access-batch': 'batch export', 'access-unknown': 'unknown',
  figuresInEnglish: 'The tracer states these figures in English.', canariesReached: 'Canaries reached',
  activeHours: 'Contacts per hour of day (UTC)', activeDays: 'Contacts per weekday (UTC)', hour: 'Hour', weekday: 'Weekday',
  grounds: 'Why the tracer grouped these numbers', 'ground-caller-name': 'the same caller name', 'ground-sms-url': 'the same web domain in their SMS',
  'ground-sms-email': 'the same e-mail address in their SMS', 'ground-sms-phone': 'the same call-back number in their SMS',
  'ground-carrier-block': 'the same carrier and number block', 'ground-co-ringing': 'rang the same canaries within minutes of each other',
  'ground-investigator': 'grouped by an investigator', shared: 'Shared', acts: 'Acts in the evidence log', actor: 'By', notes: 'Notes',
  accept: 'Accept this grouping', rename: 'Rename', addNote: 'Add a note', note: 'Note', mergeInto: 'Merge another party into this one', merge: 'Merge',
  splitOff: 'Split numbers off into a new party', split: 'Split', newName: 'Name of the new party', actions: 'Act on this party', caseActions: 'Act on this case',
  callsAndSms: 'Calls and SMS', notDone: 'Not done:', rangToo: 'rang too (not the decoded party)', caseTitle: 'Title', description: 'Description',
  assignee: 'Assignee', updated: 'Updated', 'case-open': 'open', 'case-reported': 'reported', 'case-closed': 'closed', newCase: 'Open a case',
  openCase: 'Open', linked: 'Linked to this case', linkedBy: 'Linked by', linkChannel: 'Link a channel', linkParty: 'Link a party',
  linkCampaign: 'Link a campaign', linkHit: 'Link a hit (its id)', link: 'Link', changeStatus: 'Change status', save: 'Save',
  timeline: 'Timeline', caseReport: 'Case report', inEnglish: 'in English', inArabic: 'in Arabic', bundle: 'Evidence bundle',
  downloadBundle: 'Download the signed bundle (ZIP)', reportLang: 'Report language', actsRecorded: 'Producing a report or a bundle is itself recorded in the evidence log.',
  canariesInCase: 'Canaries in the case', hitsInCase: 'Hits in the case', openedBy: 'Opened by', hit: 'Hit', numbersOf: 'Numbers',
  proposeNow: 'Propose groupings now', proposedCount: 'new groupings proposed', newParty: 'Group numbers into a party', numbersField: 'Numbers (E.164, one a line)', create: 'Create',
};
export type MessageKey = keyof typeof en;

const ar: Record<MessageKey, string> = {
  title: 'متتبّع الكناري', signIn: 'تسجيل الدخول', signOut: 'تسجيل الخروج', token: 'رمز الواجهة البرمجية', username: 'اسم المستخدم', password: 'كلمة المرور',
  orPassword: 'أو بكلمة مرور أعدّها المسؤول', signedInAs: 'مسجّل باسم', badSignIn: 'لم يُقبل الرمز أو كلمة المرور.',
  sessionEnded: 'انتهت جلستك. سجّل الدخول مجددًا.', overview: 'نظرة عامة', channels: 'القنوات', hits: 'الاتصالات', campaigns: 'الحملات',
  numbers: 'الأرقام', evidence: 'سجل الأدلة', access: 'الصلاحيات', language: 'English', digits: 'الأرقام', latinDigits: '0123', arabicDigits: '٠١٢٣',
  timeZone: 'المنطقة الزمنية', apply: 'تطبيق', verdicts: 'الحكم على كل قناة', channel: 'القناة', kind: 'النوع', verdict: 'الحكم',
  probability: 'الاحتمال', canaries: 'الكناري', called: 'تلقّت اتصالًا', firstContact: 'أول اتصال', minutes: 'دقيقة', accessPattern: 'نمط الوصول',
  recentEvidence: 'أحدث الاتصالات الدالّة', openCampaigns: 'الحملات المفتوحة', warnings: 'تنبيهات', noWarnings: 'لا توجد تنبيهات.',
  missingNumbers: 'أرقام مفقودة من حساب المزوّد', outputsDisabled: 'مخرجات تنبيه عُطّلت بعد إخفاقات متتالية ولن ترسل شيئًا حتى يعيد المسؤول تفعيلها', releaseFailures: 'عمليات تحرير أرقام فشلت وتُعاد كل ساعة',
  forgedBurst: 'طلبات مزوّرة خلال عشر دقائق منذ', budgetNear: 'تكلفة الأرقام الشهرية تقترب من الحد', lookupNear: 'استعلامات المتصلين اليوم تقترب من الحد اليومي',
  when: 'الوقت', from: 'من', callerName: 'اسم المتصل', to: 'إلى', classification: 'التصنيف', body: 'الرسالة', status: 'الحالة',
  none: 'لا شيء.', more: 'الأقدم', filter: 'تصفية', since: 'من وقت', until: 'حتى', canary: 'الكناري', caller: 'المتصل', any: 'الكل',
  live: 'تظهر الاتصالات الجديدة هنا فور وصولها.', plantings: 'الكناري وعمليات الزرع', exposedAt: 'تاريخ الكشف', plantedAt: 'تاريخ الزرع', withdrawnAt: 'تاريخ السحب',
  target: 'الهدف', campaign: 'الحملة', hitsOverTime: 'الاتصالات عبر الزمن (لكل يوم بالتوقيت العالمي)', latency: 'أول اتصال بعد الكشف', reasons: 'أسباب الحكم',
  callers: 'المتصلون', party: 'الطرف المسرِّب الأرجح', probabilityChart: 'احتمال التسريب لكل قناة', rawParams: 'كل المعاملات كما وصلت',
  statusEvents: 'أحداث الحالة', parameter: 'المعامل', value: 'القيمة', duration: 'المدة', seconds: 'ث', callerInfo: 'بيانات المتصل',
  design: 'التصميم', question: 'السؤال', progress: 'التقدّم', scheduled: 'مجدولة', nextRound: 'الجولة التالية المقترحة', tickets: 'بلاغات',
  noProposal: 'لا اقتراح', phone: 'الرقم', country: 'الدولة', control: 'رقم ضبط', burnInEnds: 'نهاية فترة الإحماء', costMonth: 'التكلفة الشهرية',
  poolByStatus: 'الأرقام حسب الحالة', hitsCount: 'الاتصالات', missing: 'مفقود منذ', releaseError: 'خطأ التحرير', monthlyTotal: 'الإجمالي الشهري',
  unprovenNote: 'صفوف سابقة للترقية التي ربطتها، رُبط كل منها كما وُجد حينها (يُكشف أي تغيير بعدها، ولا يمكن كشف ما قبلها):',
  chainOk: 'السلسلة سليمة', chainBroken: 'السلسلة مكسورة عند المدخل', factsBroken: 'الأدلة لا تتحقق:', verifiedAt: 'تحقق في', entries: 'مدخلات', seq: '#', subject: 'الموضوع', payload: 'المحتوى', newer: 'الأحدث',
  forbidden: 'لا يحق لدورك رؤية هذه الصفحة.', notFound: 'لا يوجد شيء هنا.', errorTitle: 'حدث خطأ', users: 'مستخدمو اللوحة',
  addUser: 'إضافة مستخدم بكلمة مرور', role: 'الدور', created: 'أُنشئ', disabled: 'معطّل', disable: 'تعطيل', add: 'إضافة',
  day: 'اليوم', count: 'العدد', model: 'النموذج', background: 'اتصالات خلفية لكل رقم في اليوم', controlCalls: 'اتصالات لكل رقم ضبط في اليوم',
  leaking: 'مسرِّبة', suspect: 'مشتبه بها', clean: 'نظيفة', undetermined: 'غير محسومة', 'no-data': 'لا بيانات', kindCall: 'مكالمة', kindSms: 'رسالة',
  'after-planting': 'بعد الزرع', 'before-planting': 'قبل الزرع', unmatched: 'غير مطابق', 'burn-in': 'فترة الإحماء', 'control-hit': 'رقم ضبط',
  yes: 'نعم', no: 'لا', hours: 'ساعة', reasonsInEnglish: 'يصوغ نموذج الإسناد أسبابه بالإنجليزية.', back: 'رجوع', viewAll: 'كل الاتصالات', skip: 'انتقل إلى المحتوى',
  parties: 'الأطراف', cases: 'القضايا', name: 'الاسم', proposed: 'مقترح', accepted: 'مقبول', calls: 'المكالمات', smsCount: 'الرسائل',
  channelsImplicated: 'القنوات المتورطة', lastContact: 'آخر اتصال', nameOrNumber: 'الاسم أو الرقم',
  'access-live': 'مباشر (يُقرأ فور وصول البلاغ)', 'access-same-day': 'في اليوم نفسه', 'access-batch': 'تصدير دفعي', 'access-unknown': 'غير معروف',
  figuresInEnglish: 'يصوغ المتتبّع هذه الأرقام بالإنجليزية.', canariesReached: 'الكناري التي وصلها',
  activeHours: 'الاتصالات حسب ساعة اليوم (بالتوقيت العالمي)', activeDays: 'الاتصالات حسب يوم الأسبوع (بالتوقيت العالمي)', hour: 'الساعة', weekday: 'يوم الأسبوع',
  grounds: 'لماذا جمع المتتبّع هذه الأرقام', 'ground-caller-name': 'اسم المتصل نفسه', 'ground-sms-url': 'نطاق الويب نفسه في رسائلهم',
  'ground-sms-email': 'عنوان البريد الإلكتروني نفسه في رسائلهم', 'ground-sms-phone': 'رقم معاودة الاتصال نفسه في رسائلهم',
  'ground-carrier-block': 'المشغّل نفسه وكتلة الأرقام نفسها', 'ground-co-ringing': 'اتصلوا بالكناري نفسها خلال دقائق من بعضهم',
  'ground-investigator': 'جمعها محقق', shared: 'المشترك', acts: 'الإجراءات في سجل الأدلة', actor: 'بواسطة', notes: 'الملاحظات',
  accept: 'قبول هذا التجميع', rename: 'إعادة التسمية', addNote: 'إضافة ملاحظة', note: 'ملاحظة', mergeInto: 'دمج طرف آخر في هذا الطرف', merge: 'دمج',
  splitOff: 'فصل أرقام في طرف جديد', split: 'فصل', newName: 'اسم الطرف الجديد', actions: 'إجراءات على هذا الطرف', caseActions: 'إجراءات على هذه القضية',
  callsAndSms: 'المكالمات والرسائل', notDone: 'لم يُنفَّذ:', rangToo: 'اتصل أيضًا (ليس الطرف المستنتج)', caseTitle: 'العنوان', description: 'الوصف',
  assignee: 'المكلَّف', updated: 'آخر تحديث', 'case-open': 'مفتوحة', 'case-reported': 'مُبلَّغ عنها', 'case-closed': 'مغلقة', newCase: 'فتح قضية',
  openCase: 'فتح', linked: 'المرتبط بهذه القضية', linkedBy: 'ربطه', linkChannel: 'ربط قناة', linkParty: 'ربط طرف',
  linkCampaign: 'ربط حملة', linkHit: 'ربط اتصال (معرّفه)', link: 'ربط', changeStatus: 'تغيير الحالة', save: 'حفظ',
  timeline: 'التسلسل الزمني', caseReport: 'تقرير القضية', inEnglish: 'بالإنجليزية', inArabic: 'بالعربية', bundle: 'حزمة الأدلة',
  downloadBundle: 'تنزيل الحزمة الموقّعة (ZIP)', reportLang: 'لغة التقرير', actsRecorded: 'يُسجَّل إنتاج التقرير أو الحزمة نفسه في سجل الأدلة.',
  canariesInCase: 'الكناري في القضية', hitsInCase: 'الاتصالات في القضية', openedBy: 'فتحها', hit: 'اتصال', numbersOf: 'الأرقام',
  proposeNow: 'اقترح تجميعات الآن', proposedCount: 'تجميعات جديدة مقترحة', newParty: 'جمع أرقام في طرف', numbersField: 'الأرقام (بصيغة E.164، رقم في كل سطر)', create: 'إنشاء',
};

const MESSAGES: Record<Lang, Record<MessageKey, string>> = { en, ar };

export interface Prefs {
  lang: Lang;
  digits: Digits;
  timeZone: string;
}

const ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
export const isTimeZone = (z: string) => ZONES.has(z);
// Offered in the picker; any IANA zone can still be typed.
const COMMON_ZONES = ['UTC', 'Asia/Riyadh', 'Asia/Dubai', 'Asia/Amman', 'Africa/Cairo', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'America/Los_Angeles'];
export const timeZones = () => COMMON_ZONES;

/** Everything a template needs to speak the reader's language. */
export function localise(p: Prefs) {
  const tag = `${p.lang === 'ar' ? 'ar-SA' : 'en-GB'}-u-ca-gregory-nu-${p.digits}`;
  const dateFmt = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'medium', timeZone: p.timeZone });
  const dayFmt = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' });
  const numFmt = new Intl.NumberFormat(tag, { maximumFractionDigits: 1 });
  const pctFmt = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const hourFmt = new Intl.NumberFormat(tag, { minimumIntegerDigits: 2 });
  const weekdayFmt = new Intl.DateTimeFormat(tag, { weekday: 'long', timeZone: 'UTC' });
  const dict = MESSAGES[p.lang];
  return {
    lang: p.lang,
    dir: p.lang === 'ar' ? 'rtl' : 'ltr',
    digits: p.digits,
    timeZone: p.timeZone,
    t: (key: string) => (dict as Record<string, string>)[key] ?? key,
    date: (iso: string | null | undefined) => (iso ? dateFmt.format(new Date(iso)) : '—'),
    day: (isoDay: string) => dayFmt.format(new Date(`${isoDay}T00:00:00Z`)),
    num: (n: number | null | undefined) => (n === null || n === undefined ? '—' : numFmt.format(n)),
    pct: (n: number) => pctFmt.format(n),
    /** "09:00" for hour 9, in the reader's digits. */
    hour: (h: number) => `${hourFmt.format(h)}:${hourFmt.format(0)}`,
    /** 0 = Sunday, as SQLite's strftime('%w') counts. 2023-01-01 was a Sunday. */
    weekday: (d: number) => weekdayFmt.format(new Date(Date.UTC(2023, 0, 1 + d))),
  };
}
export type Localised = ReturnType<typeof localise>;
