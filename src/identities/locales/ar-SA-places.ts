// Saudi cities as plain data. Each city agrees with itself: its region fixes the first digit of
// the postal code (1 Riyadh … 8 Jazan) and the landline area code; each district has the postal
// code its buildings carry and the two letters it contributes to the short address.

export interface SaudiDistrict {
  ar: string;
  latin: string;
  postalCode: string;
}

export interface SaudiCity {
  ar: string;
  latin: string;
  region: string;
  /** First digit of every postal code in the region. */
  postalDigit: string;
  /** Landline area code with trunk prefix, e.g. "011". */
  areaCode: string;
  /** First two letters of the short address: region letter + city letter. */
  shortCode: string;
  districts: readonly SaudiDistrict[];
  streets: readonly string[];
}

/** Street names found in almost every Saudi city; each city adds its own below. */
export const COMMON_STREETS: readonly string[] = [
  'شارع عثمان بن عفان', 'شارع أبي بكر الصديق', 'شارع عمر بن الخطاب', 'شارع علي بن أبي طالب', 'شارع خالد بن الوليد',
  'شارع الإمام البخاري', 'شارع ابن خلدون', 'شارع ابن سينا', 'شارع الفارابي', 'شارع حمزة بن عبدالمطلب',
  'شارع سعد بن أبي وقاص', 'شارع طلحة بن عبيدالله', 'شارع الزبير بن العوام', 'شارع عبدالرحمن بن عوف', 'شارع أنس بن مالك',
  'شارع معاذ بن جبل', 'شارع الحسن البصري', 'شارع الخليل بن أحمد', 'شارع المتنبي', 'شارع الأصمعي', 'شارع الجاحظ',
  'شارع ابن رشد', 'شارع النهضة', 'شارع الخزامى', 'شارع الريحان', 'شارع البساتين', 'شارع الجامعة', 'شارع المدارس',
  'شارع أبي عبيدة', 'شارع عقبة بن نافع', 'شارع سلمان الفارسي', 'شارع بلال بن رباح', 'شارع الإمام مسلم', 'شارع ابن كثير',
  'شارع الخوارزمي', 'شارع ابن النفيس', 'شارع الكندي', 'شارع الطبري', 'شارع عمرو بن العاص', 'شارع جعفر الطيار',
];

const d = (ar: string, latin: string, postalCode: string): SaudiDistrict => ({ ar, latin, postalCode });

export const SAUDI_CITIES: readonly SaudiCity[] = [
  { ar: 'الرياض', latin: 'Riyadh', region: 'Riyadh', postalDigit: '1', areaCode: '011', shortCode: 'RR',
    districts: [d('النرجس', 'An Narjis', '13327'), d('الملقا', 'Al Malqa', '13521'), d('الياسمين', 'Al Yasmin', '13325'),
      d('السويدي', 'As Suwaidi', '12791'), d('العليا', 'Al Olaya', '12244'), d('النسيم', 'An Nasim', '14241'),
      d('الروضة', 'Ar Rawdah', '13211'), d('الربوة', 'Ar Rabwah', '12814'), d('الشفا', 'Ash Shifa', '14714'),
      d('العزيزية', 'Al Aziziyah', '14516'), d('الملز', 'Al Malaz', '12629'), d('الصحافة', 'As Sahafah', '13315'),
      d('حطين', 'Hittin', '13516'), d('اليرموك', 'Al Yarmuk', '13251'), d('القادسية', 'Al Qadisiyah', '13262'),
      d('المونسية', 'Al Munsiyah', '13253'), d('الحمراء', 'Al Hamra', '13216'), d('النظيم', 'An Nadhim', '14822'),
      d('طويق', 'Tuwaiq', '14925'), d('بدر', 'Badr', '14726'), d('الفيحاء', 'Al Fayha', '14257'), d('الغدير', 'Al Ghadir', '13311')],
    streets: ['طريق العروبة', 'شارع التخصصي', 'شارع الثمامة', 'طريق أبي بكر الصديق', 'شارع الأمير سعد بن عبدالرحمن الأول', 'شارع جرير'] },
  { ar: 'جدة', latin: 'Jeddah', region: 'Makkah', postalDigit: '2', areaCode: '012', shortCode: 'JE',
    districts: [d('الروضة', 'Ar Rawdah', '23432'), d('الصفا', 'As Safa', '23453'), d('المروة', 'Al Marwah', '23541'),
      d('النعيم', 'An Naim', '23621'), d('السلامة', 'As Salamah', '23525'), d('الفيصلية', 'Al Faisaliyah', '23442'),
      d('الزهراء', 'Az Zahra', '23425'), d('البوادي', 'Al Bawadi', '23531'), d('الحمدانية', 'Al Hamdaniyah', '23761'),
      d('السامر', 'As Samir', '23462'), d('الربوة', 'Ar Rabwah', '23448'), d('النسيم', 'An Nasim', '22233'),
      d('الأجواد', 'Al Ajwad', '23764'), d('الريان', 'Ar Rayyan', '22253')],
    streets: ['شارع التحلية', 'شارع فلسطين', 'شارع صاري', 'شارع حراء', 'شارع الستين', 'شارع قريش', 'شارع الأمير ماجد'] },
  { ar: 'مكة المكرمة', latin: 'Makkah', region: 'Makkah', postalDigit: '2', areaCode: '012', shortCode: 'MM',
    districts: [d('العزيزية', 'Al Aziziyah', '24243'), d('الشوقية', 'Ash Shawqiyah', '24351'), d('العوالي', 'Al Awali', '24381'),
      d('النسيم', 'An Nasim', '24234'), d('الزاهر', 'Az Zahir', '24221'), d('الرصيفة', 'Ar Rusaifah', '24236'),
      d('بطحاء قريش', 'Batha Quraish', '24353')],
    streets: ['شارع العوالي', 'شارع الحج', 'طريق الملك عبدالله', 'شارع المنصور'] },
  { ar: 'الطائف', latin: 'Taif', region: 'Makkah', postalDigit: '2', areaCode: '012', shortCode: 'MT',
    districts: [d('الشهداء الشمالية', 'Ash Shuhada Ash Shamaliyah', '26521'), d('الحوية', 'Al Hawiyah', '26571'),
      d('القمرية', 'Al Qamariyah', '26514'), d('شهار', 'Shihar', '26541'), d('الفيصلية', 'Al Faisaliyah', '26522')],
    streets: ['شارع شهار', 'شارع الجيش', 'شارع أبي بكر الصديق'] },
  { ar: 'الدمام', latin: 'Dammam', region: 'Eastern', postalDigit: '3', areaCode: '013', shortCode: 'DD',
    districts: [d('الفيصلية', 'Al Faisaliyah', '32272'), d('الشاطئ الغربي', 'Ash Shati Al Gharbi', '32413'),
      d('الجلوية', 'Al Jalawiyah', '32233'), d('الروضة', 'Ar Rawdah', '32256'), d('النزهة', 'An Nuzhah', '32252'),
      d('المزروعية', 'Al Mazruiyah', '32414'), d('الأنوار', 'Al Anwar', '32314'), d('طيبة', 'Taibah', '32316')],
    streets: ['شارع الأمير محمد بن فهد', 'شارع الملك سعود', 'شارع الخليج', 'شارع 11'] },
  { ar: 'الخبر', latin: 'Al Khobar', region: 'Eastern', postalDigit: '3', areaCode: '013', shortCode: 'DK',
    districts: [d('الراكة الشمالية', 'Ar Rakah Ash Shamaliyah', '34227'), d('الثقبة', 'Ath Thuqbah', '34623'),
      d('العقربية', 'Al Aqrabiyah', '34445'), d('اليرموك', 'Al Yarmuk', '34423'), d('الحزام الذهبي', 'Al Hizam Adh Dhahabi', '34611')],
    streets: ['شارع الظهران', 'شارع الأمير تركي', 'شارع الملك خالد'] },
  { ar: 'الهفوف', latin: 'Al Hofuf', region: 'Eastern', postalDigit: '3', areaCode: '013', shortCode: 'DH',
    districts: [d('المزروع', 'Al Mazru', '36361'), d('الكوت', 'Al Kut', '36362'), d('النعاثل', 'An Naathil', '36364'),
      d('محاسن', 'Mahasin', '36421')],
    streets: ['شارع الظهران', 'شارع الخباز'] },
  { ar: 'المدينة المنورة', latin: 'Madinah', region: 'Madinah', postalDigit: '4', areaCode: '014', shortCode: 'NM',
    districts: [d('قباء', 'Quba', '42318'), d('العزيزية', 'Al Aziziyah', '42381'), d('العوالي', 'Al Awali', '42393'),
      d('الحرة الشرقية', 'Al Harrah Ash Sharqiyah', '42353'), d('سلطانة', 'Sultanah', '42341'), d('الخالدية', 'Al Khalidiyah', '42372'),
      d('بني حارثة', 'Bani Harithah', '42316')],
    streets: ['شارع قباء', 'طريق سلطانة', 'شارع أبي ذر الغفاري', 'شارع العيون'] },
  { ar: 'تبوك', latin: 'Tabuk', region: 'Tabuk', postalDigit: '4', areaCode: '014', shortCode: 'TB',
    districts: [d('المروج', 'Al Muruj', '47911'), d('الفيصلية', 'Al Faisaliyah', '47912'), d('السليمانية', 'As Sulaimaniyah', '47913'),
      d('الريان', 'Ar Rayyan', '47914'), d('المصيف', 'Al Masif', '47915')],
    streets: ['شارع الأمير فهد بن سلطان', 'شارع الملك عبدالعزيز'] },
  { ar: 'بريدة', latin: 'Buraidah', region: 'Qassim', postalDigit: '5', areaCode: '016', shortCode: 'QB',
    districts: [d('الريان', 'Ar Rayyan', '52366'), d('الإسكان', 'Al Iskan', '52385'), d('الفايزية', 'Al Fayziyah', '52367'),
      d('الصفراء', 'As Safra', '52341'), d('النهضة', 'An Nahdah', '52387')],
    streets: ['شارع عمر بن الخطاب', 'طريق الملك عبدالعزيز', 'شارع الصناعة'] },
  { ar: 'عنيزة', latin: 'Unaizah', region: 'Qassim', postalDigit: '5', areaCode: '016', shortCode: 'QU',
    districts: [d('الملك فهد', 'King Fahd', '56437'), d('الريان', 'Ar Rayyan', '56431'), d('الفاخرية', 'Al Fakhiriyah', '56411')],
    streets: ['شارع الزلفي', 'شارع السوق'] },
  { ar: 'حائل', latin: "Ha'il", region: "Ha'il", postalDigit: '5', areaCode: '016', shortCode: 'HH',
    districts: [d('النقرة', 'An Nuqrah', '55421'), d('المنتزه', 'Al Muntazah', '55428'), d('صبابة', 'Sababah', '55431'),
      d('البادية', 'Al Badiyah', '55473')],
    streets: ['شارع الأمير سعود بن عبدالمحسن', 'شارع برزان'] },
  { ar: 'أبها', latin: 'Abha', region: 'Asir', postalDigit: '6', areaCode: '017', shortCode: 'AA',
    districts: [d('المنسك', 'Al Mansak', '62521'), d('الخالدية', 'Al Khalidiyah', '62523'), d('الموظفين', 'Al Muwadhafin', '62527'),
      d('شمسان', 'Shamsan', '62529'), d('المفتاحة', 'Al Muftaha', '62511')],
    streets: ['شارع الفن', 'طريق الملك فهد', 'شارع الضباب'] },
  { ar: 'خميس مشيط', latin: 'Khamis Mushait', region: 'Asir', postalDigit: '6', areaCode: '017', shortCode: 'AK',
    districts: [d('الراقي', 'Ar Raqi', '62461'), d('الموسى', 'Al Musa', '62433'), d('ذهبان', 'Dhahban', '62441'),
      d('النسيم', 'An Nasim', '62455')],
    streets: ['شارع الأمير سلطان', 'طريق الملك خالد'] },
  { ar: 'نجران', latin: 'Najran', region: 'Najran', postalDigit: '6', areaCode: '017', shortCode: 'NN',
    districts: [d('الفيصلية', 'Al Faisaliyah', '66262'), d('الأمير مشعل', 'Al Amir Mishal', '66271'), d('الخالدية', 'Al Khalidiyah', '66255')],
    streets: ['شارع الملك عبدالعزيز', 'شارع الأمير سلطان'] },
  { ar: 'الباحة', latin: 'Al Bahah', region: 'Bahah', postalDigit: '6', areaCode: '017', shortCode: 'BB',
    districts: [d('الزاهر', 'Az Zahir', '65527'), d('الحجرة', 'Al Hajrah', '65521'), d('الظفير', 'Adh Dhafir', '65531')],
    streets: ['شارع الملك فيصل', 'طريق الطائف'] },
  { ar: 'عرعر', latin: 'Arar', region: 'Northern Borders', postalDigit: '7', areaCode: '014', shortCode: 'NA',
    districts: [d('المساعدية', 'Al Musaidiyah', '73311'), d('الروضة', 'Ar Rawdah', '73213'), d('الخالدية', 'Al Khalidiyah', '73241')],
    streets: ['شارع الملك عبدالعزيز', 'شارع هارون الرشيد'] },
  { ar: 'سكاكا', latin: 'Sakaka', region: 'Jawf', postalDigit: '7', areaCode: '014', shortCode: 'JS',
    districts: [d('الشلهوب', 'Ash Shalhub', '72341'), d('الملك فهد', 'King Fahd', '72388'), d('الطوير', 'At Tuwayr', '72345')],
    streets: ['شارع الملك فيصل', 'شارع الملك سعود'] },
  { ar: 'جازان', latin: 'Jazan', region: 'Jazan', postalDigit: '8', areaCode: '017', shortCode: 'GJ',
    districts: [d('الروضة', 'Ar Rawdah', '82722'), d('الشاطئ', 'Ash Shati', '82725'), d('المطار', 'Al Matar', '82817'),
      d('السويس', 'As Suways', '82723')],
    streets: ['شارع الملك فهد', 'الكورنيش الشمالي', 'شارع الأمير محمد بن ناصر'] },
];
