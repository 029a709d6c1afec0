// The call script for a staff member who phones the intake line as the canary customer, in the
// canary's language. The name spelling and the details are this planting's variant: they are
// what makes a later call from a leak-detection firm traceable to this call.
import type { Channel } from '../../channels/channels.ts';
import type { Persona, PlantingVariant, SaudiAddress, Ticket, TicketCategory, UsAddress } from '../../identities/types.ts';

export interface ScriptInput {
  plantingId: string;
  persona: Persona;
  ticket: Ticket;
  variant: PlantingVariant;
  channel: Pick<Channel, 'name'>;
  target: string;
  intakeLine: string;
  hours?: string;
}

const CATEGORY_AR: Record<TicketCategory, string> = {
  'network-leak': 'تسريب في الشبكة العامة', 'internal-leak-high-bill': 'ارتفاع الفاتورة مع احتمال تسريب داخلي',
  'meter-check': 'فحص العداد', 'no-water': 'انقطاع المياه', 'sewage-overflow': 'طفح صرف صحي', 'water-quality': 'جودة المياه',
  'new-connection': 'طلب توصيلة جديدة',
};
const PRIORITY_AR: Record<Ticket['priority'], string> = { low: 'منخفضة', normal: 'عادية', high: 'مرتفعة', urgent: 'عاجلة' };

function arabicScript(s: ScriptInput): string {
  const a = s.persona.address as SaudiAddress;
  return [
    'نص المكالمة — بلاغ هاتفي على خط استقبال البلاغات',
    `الزرع ${s.plantingId} · القناة «${s.channel.name}» · الهدف ${s.target}`,
    '',
    'قبل الاتصال',
    `- اتصل على: ${s.intakeLine}${s.hours ? ` (أوقات العمل: ${s.hours})` : ''}. اتصل من خط لا يظهر فيه اسم الجهة ولا اسمك.`,
    '- أنت العميل المذكور أدناه: تكلّم كما يتكلّم، ولا تذكر أي اختبار أو تتبّع أو «كناري».',
    '- إذا سألك الموظف عن معلومة ليست هنا، فقل إنها ليست معك الآن.',
    '',
    'من أنت',
    `  الاسم:        ${s.variant.fullName}   (إن طُلب منك تهجئته فتهجّاه هكذا بالضبط)`,
    `  رقم التواصل:  ${s.persona.phone.national}   ← أعطِ هذا الرقم وحده`,
    `  العنوان:      مبنى ${a.buildingNumber}، ${a.street}، حي ${a.district}، ${a.city} ${a.postalCode} (الرقم الإضافي ${a.additionalNumber}، العنوان المختصر ${a.shortAddress})`,
    `  رقم الحساب:   ${s.persona.accountNumber}`,
    `  رقم العداد:   ${s.persona.meterSerial}`,
    ...(s.persona.nationalId ? [`  رقم الهوية:   ${s.persona.nationalId}`] : []),
    '',
    'ماذا تقول',
    '  «السلام عليكم، أبغى أرفع بلاغ.» ثم اشرح المشكلة بأسلوبك، وتأكّد أن تذكر هذه التفاصيل:',
    `  «${s.variant.description}»`,
    `  نوع البلاغ: ${CATEGORY_AR[s.ticket.category]} — الأهمية: ${PRIORITY_AR[s.ticket.priority]}`,
    '',
    'قبل إنهاء المكالمة',
    '  اسأل: «ممكن رقم البلاغ؟» واكتبه: ______________   وقت المكالمة: ______________',
    '',
    'بعد المكالمة سجّلها',
    `  tracer plantings confirm ${s.plantingId} --ref <رقم البلاغ> --at <وقت المكالمة، مثل 2026-11-28T10:15:00+03:00>`,
  ].join('\n');
}

function englishScript(s: ScriptInput): string {
  const a = s.persona.address as UsAddress;
  return [
    'CALL SCRIPT — a complaint phoned in to the intake line',
    `Planting ${s.plantingId} · channel "${s.channel.name}" · target ${s.target}`,
    '',
    'Before you call',
    `- Dial ${s.intakeLine}${s.hours ? ` (open ${s.hours})` : ''}, from a line that shows neither the utility's name nor yours.`,
    '- You are the customer below. Speak as they would; never mention testing, tracing or canaries.',
    "- If the agent asks for something that is not on this sheet, say you don't have it to hand.",
    '',
    'Who you are',
    `  Name:             ${s.variant.fullName}   (if asked to spell it, spell it exactly like this)`,
    `  Callback number:  ${s.persona.phone.national}   <- give this number, and only this one`,
    `  Address:          ${a.street}, ${a.city}, ${a.state} ${a.zip}`,
    `  Account number:   ${s.persona.accountNumber}`,
    `  Meter number:     ${s.persona.meterSerial}`,
    '',
    'What to say',
    `  "Hi, I'd like to report a problem." Then tell it in your own words, making sure these details come up:`,
    `  "${s.variant.description}"`,
    `  Kind of problem: ${s.ticket.category.replaceAll('-', ' ')}; how urgent: ${s.ticket.priority}`,
    '',
    'Before you hang up',
    '  Ask: "Could I have the ticket number for that?" Write it down: ______________   Time of call: ______________',
    '',
    'After the call, record it',
    `  tracer plantings confirm ${s.plantingId} --ref <ticket number> --at <time of the call, e.g. 2026-11-28T10:15:00-05:00>`,
  ].join('\n');
}

export function callScript(s: ScriptInput): string {
  return s.persona.locale === 'ar-SA' ? arabicScript(s) : englishScript(s);
}
