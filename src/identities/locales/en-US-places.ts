// US cities as plain data: every ZIP listed is a real ZIP of that city and state, every area code
// one that serves it, so an address and a phone number never disagree with each other.

export interface UsCity {
  city: string;
  state: string;
  zips: readonly string[];
  areaCodes: readonly string[];
}

const c = (city: string, state: string, zips: string, areaCodes: string): UsCity => ({
  city,
  state,
  zips: zips.split(' '),
  areaCodes: areaCodes.split(' '),
});

export const US_CITIES: readonly UsCity[] = [
  c('Columbus', 'OH', '43201 43202 43204 43206 43209 43211 43214 43215 43219 43220 43224 43229', '614 380'),
  c('Charlotte', 'NC', '28202 28203 28204 28205 28206 28207 28208 28209 28210 28211 28212 28226', '704 980'),
  c('Phoenix', 'AZ', '85003 85004 85006 85008 85013 85014 85016 85018 85020 85021 85032', '602 480 623'),
  c('Austin', 'TX', '78701 78702 78703 78704 78705 78723 78731 78745 78748 78757', '512 737'),
  c('Denver', 'CO', '80202 80203 80204 80205 80206 80209 80210 80211 80218 80220', '303 720'),
  c('Sacramento', 'CA', '95811 95814 95816 95817 95818 95819 95820 95822 95825 95831', '916 279'),
  c('Tampa', 'FL', '33602 33603 33604 33606 33609 33610 33611 33612 33614 33629', '813 656'),
  c('Atlanta', 'GA', '30303 30305 30306 30307 30308 30309 30310 30312 30318 30324', '404 470 678'),
  c('Indianapolis', 'IN', '46201 46202 46203 46204 46205 46208 46218 46220 46226 46227', '317 463'),
  c('Nashville', 'TN', '37203 37204 37205 37206 37207 37208 37209 37211 37212 37215', '615 629'),
  c('Louisville', 'KY', '40202 40203 40204 40205 40206 40207 40208 40210 40212 40220', '502'),
  c('Richmond', 'VA', '23219 23220 23221 23222 23223 23224 23225 23226 23227 23230', '804'),
  c('Raleigh', 'NC', '27601 27603 27604 27605 27606 27607 27608 27609 27610 27612', '919 984'),
  c('Kansas City', 'MO', '64105 64106 64108 64109 64110 64111 64112 64113 64114 64131', '816'),
  c('Omaha', 'NE', '68102 68104 68105 68106 68107 68108 68111 68114 68124 68131', '402 531'),
  c('Albuquerque', 'NM', '87102 87104 87105 87106 87107 87108 87109 87110 87111 87112', '505'),
  c('Portland', 'OR', '97201 97202 97203 97205 97206 97209 97211 97212 97214 97217', '503 971'),
  c('Salt Lake City', 'UT', '84101 84102 84103 84104 84105 84106 84108 84109 84111 84115', '801 385'),
  c('Milwaukee', 'WI', '53202 53204 53205 53206 53207 53208 53210 53211 53215 53221', '414'),
  c('Minneapolis', 'MN', '55401 55403 55404 55405 55406 55407 55408 55409 55414 55418', '612'),
  c('Pittsburgh', 'PA', '15201 15203 15206 15207 15208 15210 15212 15213 15217 15232', '412 878'),
  c('Boise', 'ID', '83702 83703 83704 83705 83706 83709 83713 83714 83716', '208 986'),
  c('Tulsa', 'OK', '74103 74104 74105 74110 74112 74114 74115 74119 74133 74135', '918 539'),
  c('Birmingham', 'AL', '35203 35204 35205 35206 35209 35211 35212 35213 35222 35233', '205 659'),
  c('Jacksonville', 'FL', '32202 32204 32205 32206 32207 32208 32210 32216 32217 32257', '904'),
  c('Las Vegas', 'NV', '89101 89102 89104 89107 89108 89109 89117 89119 89121 89128', '702 725'),
  c('Syracuse', 'NY', '13202 13203 13204 13205 13206 13207 13208 13210 13219 13224', '315 680'),
  c('Baltimore', 'MD', '21201 21202 21205 21206 21211 21212 21213 21214 21218 21224', '410 443 667'),
  c('Spokane', 'WA', '99201 99202 99203 99204 99205 99207 99208 99212 99223', '509'),
  c('Tucson', 'AZ', '85701 85704 85705 85710 85711 85712 85715 85716 85719 85745', '520'),
  c('Hartford', 'CT', '06103 06105 06106 06112 06114 06120', '860 959'),
  c('Providence', 'RI', '02903 02904 02905 02906 02907 02908 02909', '401'),
];

/** Street names common to most US towns; a suffix is drawn separately so each city gets many. */
export const STREET_NAMES: readonly string[] = [
  'Oak', 'Maple', 'Cedar', 'Pine', 'Elm', 'Walnut', 'Chestnut', 'Spruce', 'Willow', 'Birch', 'Hickory', 'Magnolia',
  'Washington', 'Lincoln', 'Jefferson', 'Madison', 'Franklin', 'Jackson', 'Adams', 'Monroe', 'Grant', 'Park', 'Lake',
  'Hill', 'Highland', 'Ridge', 'Sunset', 'Meadow', 'Forest', 'River', 'Spring', 'Church', 'Mill', 'Center', 'Main',
  'Broad', 'High', 'Prospect', 'Fairview', 'Woodland', 'Cherry', 'Laurel', 'Hillcrest', 'Lakeview', 'Orchard',
  'Railroad', 'Union', 'Liberty', 'Pleasant', 'Summit', 'Valley', 'Dogwood', 'Sycamore', 'Poplar', 'Holly',
  '2nd', '3rd', '4th', '5th', '6th', '7th', '8th', '9th', '10th', '12th', '14th', '16th', '21st', '23rd', '38th',
];

export const STREET_SUFFIXES: readonly string[] = ['St', 'St', 'St', 'Ave', 'Ave', 'Dr', 'Rd', 'Ln', 'Ct', 'Blvd', 'Way', 'Pl', 'Cir'];
export const DIRECTIONALS: readonly string[] = ['N', 'S', 'E', 'W'];
/** Apartment designators as customers and agents write them on the street line. */
export const UNIT_FORMS: readonly string[] = ['Apt {n}', 'Apt {n}', 'Unit {n}', '#{n}'];
