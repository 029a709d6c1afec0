// ar-SA names as plain data: [Arabic, preferred Latin, ...other common Latin spellings].
// Compound names are written without the inner space (عبدالله), as most Saudi records do; the
// variants module produces the spaced spelling when it needs another version of a name.

export type NameEntry = readonly [arabic: string, latin: string, ...alternatives: string[]];

export const MALE_NAMES: readonly NameEntry[] = [
  ['محمد', 'Mohammed', 'Muhammad', 'Mohamed', 'Mohammad'], ['أحمد', 'Ahmed', 'Ahmad'],
  ['عبدالله', 'Abdullah', 'Abdallah', 'Abdulla'], ['عبدالعزيز', 'Abdulaziz', 'Abdul Aziz', 'Abdelaziz'],
  ['عبدالرحمن', 'Abdulrahman', 'Abdul Rahman', 'Abdelrahman'], ['خالد', 'Khalid', 'Khaled'],
  ['سعد', 'Saad', "Sa'ad"], ['فهد', 'Fahad', 'Fahd'], ['سلطان', 'Sultan', 'Sultaan'], ['فيصل', 'Faisal', 'Faysal'],
  ['ناصر', 'Nasser', 'Nasir', 'Naser'], ['سعود', 'Saud', 'Saoud'], ['تركي', 'Turki', 'Torki'], ['بندر', 'Bandar', 'Bander'],
  ['ماجد', 'Majed', 'Majid'], ['إبراهيم', 'Ibrahim', 'Ebrahim'], ['يوسف', 'Yousef', 'Yusuf', 'Youssef'],
  ['عمر', 'Omar', 'Umar'], ['علي', 'Ali', 'Aly'], ['حسن', 'Hassan', 'Hasan'], ['حسين', 'Hussein', 'Hussain', 'Husain'],
  ['صالح', 'Saleh', 'Salih'], ['سليمان', 'Sulaiman', 'Suleiman', 'Sulayman'], ['منصور', 'Mansour', 'Mansur'],
  ['مشعل', 'Mishal', 'Meshal'], ['نايف', 'Naif', 'Nayef'], ['بدر', 'Badr', 'Bader'], ['ياسر', 'Yasser', 'Yasir'],
  ['وليد', 'Waleed', 'Walid'], ['هاني', 'Hani', 'Hany'], ['زياد', 'Ziyad', 'Ziad'], ['مازن', 'Mazen', 'Mazin'],
  ['راشد', 'Rashid', 'Rashed'], ['حمد', 'Hamad', 'Hammad'], ['حمزة', 'Hamza', 'Hamzah'], ['أسامة', 'Osama', 'Usama', 'Osamah'],
  ['طلال', 'Talal', 'Talaal'], ['عادل', 'Adel', 'Adil'], ['مساعد', 'Musaed', 'Mosaed'], ['متعب', 'Mutaib', 'Meteb'],
  ['ثامر', 'Thamer', 'Thamir'], ['نواف', 'Nawaf', 'Nawwaf'], ['عبدالإله', 'Abdulelah', 'Abdulilah'], ['هشام', 'Hisham', 'Hesham'],
  ['أنس', 'Anas', 'Anass'], ['معاذ', 'Muath', 'Moaz', 'Muadh'], ['عمار', 'Ammar', 'Amar'], ['جابر', 'Jaber', 'Jabir'],
  ['سامي', 'Sami', 'Samy'], ['مهند', 'Muhannad', 'Mohannad'], ['فواز', 'Fawaz', 'Fawwaz'], ['حامد', 'Hamed', 'Hamid'],
  ['عيسى', 'Eisa', 'Issa', 'Isa'], ['موسى', 'Mousa', 'Musa'], ['عثمان', 'Othman', 'Uthman', 'Osman'],
  ['مشاري', 'Mishari', 'Meshari'], ['عبدالملك', 'Abdulmalik', 'Abdul Malik'], ['صقر', 'Saqr', 'Saqer'],
  ['سلمان', 'Salman', 'Salmaan'], ['رائد', 'Raed', "Ra'ed"], ['غازي', 'Ghazi', 'Ghazy'], ['عايض', 'Ayedh', 'Ayed'],
  ['عوض', 'Awad', 'Awadh'], ['ظافر', 'Dhafer', 'Thafer'], ['عبدالمحسن', 'Abdulmohsen', 'Abdulmuhsin'],
  ['طارق', 'Tariq', 'Tarek', 'Tareq'], ['محسن', 'Mohsen', 'Muhsin'], ['نبيل', 'Nabil', 'Nabeel'], ['جمال', 'Jamal', 'Gamal'],
  ['عبدالكريم', 'Abdulkarim', 'Abdulkareem'], ['مبارك', 'Mubarak', 'Mobarak'], ['شاكر', 'Shaker', 'Shakir'],
];

export const FEMALE_NAMES: readonly NameEntry[] = [
  ['نورة', 'Noura', 'Nora', 'Norah'], ['سارة', 'Sara', 'Sarah'], ['فاطمة', 'Fatimah', 'Fatima'],
  ['عائشة', 'Aisha', 'Aishah'], ['مريم', 'Maryam', 'Mariam'], ['هند', 'Hind', 'Hend'], ['ريم', 'Reem', 'Rim'],
  ['لطيفة', 'Latifa', 'Latifah'], ['منيرة', 'Munira', 'Muneera'], ['الجوهرة', 'Aljawhara', 'Al Jawharah'],
  ['حصة', 'Hessa', 'Hissah'], ['أمل', 'Amal', 'Amaal'], ['هيفاء', 'Haifa', 'Haifaa'], ['نوف', 'Nouf', 'Nuf'],
  ['عبير', 'Abeer', 'Abir'], ['أسماء', 'Asma', 'Asmaa'], ['خلود', 'Kholoud', 'Khulood'], ['دلال', 'Dalal', 'Dalaal'],
  ['رهف', 'Rahaf', 'Rehaf'], ['لمى', 'Lama', 'Lamaa'], ['شهد', 'Shahad', 'Shahd'], ['غادة', 'Ghada', 'Ghadah'],
  ['منى', 'Mona', 'Muna'], ['وفاء', 'Wafa', 'Wafaa'], ['سلمى', 'Salma', 'Salmaa'], ['جواهر', 'Jawaher', 'Jawahir'],
  ['بشرى', 'Bushra', 'Boshra'], ['العنود', 'Alanoud', 'Al Anoud'], ['ندى', 'Nada', 'Neda'], ['أريج', 'Areej', 'Arij'],
  ['هيا', 'Haya', 'Hayaa'], ['مها', 'Maha', 'Mahaa'], ['نجلاء', 'Najla', 'Najlaa'], ['سميرة', 'Samira', 'Sameera'],
  ['تهاني', 'Tahani', 'Tahany'], ['ابتسام', 'Ibtisam', 'Ebtesam'], ['خديجة', 'Khadija', 'Khadijah'],
  ['زينب', 'Zainab', 'Zaynab'], ['رنا', 'Rana', 'Ranaa'], ['أروى', 'Arwa', 'Arwaa'], ['موضي', 'Modhi', 'Moudhi'],
  ['وعد', 'Waad', "Wa'ad"], ['جميلة', 'Jamila', 'Jameela'], ['عفاف', 'Afaf', 'Afaaf'], ['بدرية', 'Badria', 'Badriyah'],
];

/** [Arabic with ال where it has one, Latin stem, ...other stems]; the Latin article is added by style. */
export const FAMILY_NAMES: readonly NameEntry[] = [
  ['الغامدي', 'Ghamdi', 'Ghamedi'], ['الزهراني', 'Zahrani', 'Zahrany'], ['القحطاني', 'Qahtani', 'Kahtani'],
  ['الشهري', 'Shehri', 'Shahri'], ['العتيبي', 'Otaibi', 'Utaybi', 'Oteibi'], ['المطيري', 'Mutairi', 'Mutiri'],
  ['الدوسري', 'Dosari', 'Dossary', 'Dawsari'], ['الحربي', 'Harbi', 'Harby'], ['الشمري', 'Shammari', 'Shammary'],
  ['العنزي', 'Anazi', 'Enezi', 'Anzi'], ['الرشيدي', 'Rashidi', 'Rasheedi'], ['الجهني', 'Juhani', 'Johani'],
  ['البلوي', 'Balawi', 'Belawi'], ['العمري', 'Omari', 'Amri'], ['الأحمدي', 'Ahmadi', 'Ahmady'], ['المالكي', 'Maliki', 'Malki'],
  ['السهلي', 'Sahli', 'Sahly'], ['البقمي', 'Buqami', 'Baqmi'], ['الخالدي', 'Khalidi', 'Khaldi'], ['الهاجري', 'Hajri', 'Hajeri'],
  ['المري', 'Marri', 'Murri'], ['اليامي', 'Yami', 'Yamy'], ['العسيري', 'Asiri', 'Aseeri'], ['الشهراني', 'Shahrani', 'Shehrani'],
  ['القرني', 'Qarni', 'Garni'], ['الثبيتي', 'Thubaiti', 'Thobaiti'], ['الحارثي', 'Harthi', 'Harthy'],
  ['السلمي', 'Sulami', 'Salmi'], ['الصاعدي', 'Saedi', 'Saadi'], ['المحمدي', 'Mohammadi', 'Muhammadi'],
  ['الرويلي', 'Ruwaili', 'Rowaili'], ['الشراري', 'Sharari', 'Sharary'], ['التميمي', 'Tamimi', 'Tamimy'],
  ['البيشي', 'Bishi', 'Beshi'], ['الفيفي', 'Faifi', 'Fifi'], ['الجعيد', 'Juaid', 'Joaid'], ['الخثعمي', 'Khathami', 'Khathaami'],
  ['الوادعي', 'Wadai', 'Wadei'], ['الكثيري', 'Kathiri', 'Kathiry'], ['الصبحي', 'Subhi', 'Sobhi'], ['الحازمي', 'Hazmi', 'Hazemi'],
  ['النعمي', 'Nami', 'Neami'], ['المطرفي', 'Mutrafi', 'Motrafi'], ['السفياني', 'Sufyani', 'Sofyani'],
  ['اللحياني', 'Lihyani', 'Lehyani'], ['الحميدي', 'Humaidi', 'Hamidi'], ['الدخيل', 'Dakhil', 'Dakheel'],
  ['العصيمي', 'Osaimi', 'Usaimi'], ['الظفيري', 'Dhafiri', 'Thafiri'], ['الهذلي', 'Hathli', 'Hudhali'],
  ['الجابري', 'Jabri', 'Jaberi'], ['السويلم', 'Suwailem', 'Swailem'], ['الفرحان', 'Farhan', 'Farhaan'],
  ['الحمدان', 'Hamdan', 'Hamdaan'], ['العبيدي', 'Obaidi', 'Ubaidi'], ['المرشد', 'Murshid', 'Morshed'],
  ['البراك', 'Barrak', 'Barak'], ['الشمراني', 'Shamrani', 'Shamrany'], ['الأسمري', 'Asmari', 'Asmary'],
  ['العمراني', 'Omrani', 'Umrani'], ['البخاري', 'Bukhari', 'Bokhari'], ['الزبيدي', 'Zubaidi', 'Zobaidi'],
  ['العوفي', 'Aufi', 'Oufi'], ['الرحيلي', 'Ruhaili', 'Rehaili'], ['المولد', 'Mowallad', 'Muwallad'],
  ['فلاتة', 'Fallatah', 'Falatah'], ['باعشن', 'Baeshen', "Ba'ashen"], ['أبوطالب', 'Abutaleb', 'Abu Taleb'],
  ['باحارث', 'Bahareth', 'Baharith'], ['هوساوي', 'Hawsawi', 'Hausawi'], ['برناوي', 'Barnawi', 'Bernawi'],
];

/**
 * Never drawn: the royal family and the best-known merchant houses (and Gulf ruling families),
 * whose names would make a complaint stand out. Tests check the pack against this list.
 */
export const EXCLUDED_FAMILY_NAMES: readonly string[] = [
  'آل سعود', 'السعود', 'آل الشيخ', 'الفيصل', 'السديري', 'الجلوي', 'العليان', 'الراجحي', 'بن لادن', 'الجفالي',
  'علي رضا', 'عليرضا', 'الزامل', 'كانو', 'الجميح', 'المهيدب', 'العثيم', 'العمودي', 'بقشان', 'القصيبي', 'الحكير', 'جميل',
  'بن زقر', 'الخريف', 'البابطين', 'بن محفوظ', 'العيسى', 'السبيعي', 'العقيل', 'الخليفة', 'آل ثاني', 'آل نهيان', 'آل مكتوم',
  'Saud', 'Olayan', 'Rajhi', 'Laden', 'Juffali', 'Alireza', 'Zamil', 'Kanoo', 'Jomaih', 'Muhaidib', 'Othaim', 'Amoudi',
  'Bugshan', 'Gosaibi', 'Hokair', 'Jameel', 'Binzagr', 'Khorayef', 'Babtain', 'Mahfouz', 'Sudairi', 'Subaie', 'Khalifa',
];

/** Given + father pairs that name well-known royals ("Mohammed bin Salman"); never combined. */
export const AVOIDED_NAME_PAIRS: readonly (readonly [string, string])[] = [
  ['محمد', 'سلمان'], ['سلمان', 'عبدالعزيز'], ['فهد', 'عبدالعزيز'], ['عبدالله', 'عبدالعزيز'], ['سلطان', 'عبدالعزيز'],
  ['نايف', 'عبدالعزيز'], ['فيصل', 'عبدالعزيز'], ['خالد', 'عبدالعزيز'], ['سعود', 'عبدالعزيز'], ['محمد', 'نايف'],
  ['خالد', 'سلمان'], ['عبدالعزيز', 'سلمان'], ['فيصل', 'سلمان'], ['تركي', 'فيصل'], ['سعود', 'فيصل'], ['خالد', 'فيصل'],
  ['بندر', 'سلطان'], ['خالد', 'سلطان'], ['متعب', 'عبدالله'], ['عبدالعزيز', 'عبدالله'], ['الوليد', 'طلال'],
];
