// en-US names as plain data. Surnames are common US census surnames: faker's en_US surname list
// (Kertzmann, Schowalter…) is recognisable as generated data, which is exactly the tell we avoid.

/** [given name, nickname, ...] — the nickname feeds planting variants. */
export type GivenName = readonly [name: string, ...nicknames: string[]];

export const MALE_GIVEN: readonly GivenName[] = [
  ['James', 'Jim', 'Jimmy'], ['Robert', 'Bob', 'Rob'], ['John', 'Johnny', 'Jack'], ['Michael', 'Mike'], ['David', 'Dave'],
  ['William', 'Bill', 'Will'], ['Richard', 'Rick', 'Rich'], ['Joseph', 'Joe'], ['Thomas', 'Tom', 'Tommy'],
  ['Christopher', 'Chris'], ['Charles', 'Charlie', 'Chuck'], ['Daniel', 'Dan', 'Danny'], ['Matthew', 'Matt'],
  ['Anthony', 'Tony'], ['Mark', 'Marky'], ['Donald', 'Don'], ['Steven', 'Steve'], ['Andrew', 'Andy', 'Drew'],
  ['Kenneth', 'Ken', 'Kenny'], ['Joshua', 'Josh'], ['Kevin', 'Kev'], ['Brian', 'Bri'], ['Timothy', 'Tim'],
  ['Ronald', 'Ron', 'Ronnie'], ['Jason', 'Jay'], ['Jeffrey', 'Jeff'], ['Gary', 'Gar'], ['Nicholas', 'Nick'],
  ['Eric', 'Rick'], ['Jonathan', 'Jon'], ['Stephen', 'Steve'], ['Larry', 'Lars'], ['Justin', 'Justy'],
  ['Benjamin', 'Ben', 'Benny'], ['Samuel', 'Sam'], ['Gregory', 'Greg'], ['Alexander', 'Alex'], ['Patrick', 'Pat'],
  ['Raymond', 'Ray'], ['Jose', 'Pepe'], ['Luis', 'Lucho'], ['Carlos', 'Carlitos'], ['Juan', 'Juanito'],
  ['Marcus', 'Marc'], ['Terrence', 'Terry'], ['Dwayne', 'Dee'], ['Minh', 'Min'], ['Kwame', 'Kwam'], ['Tyrone', 'Ty'],
];

export const FEMALE_GIVEN: readonly GivenName[] = [
  ['Mary', 'Molly'], ['Patricia', 'Pat', 'Patty'], ['Jennifer', 'Jen', 'Jenny'], ['Linda', 'Lindy'],
  ['Elizabeth', 'Liz', 'Beth'], ['Barbara', 'Barb'], ['Susan', 'Sue'], ['Jessica', 'Jess'], ['Sarah', 'Sadie'],
  ['Karen', 'Kari'], ['Lisa', 'Lise'], ['Nancy', 'Nan'], ['Margaret', 'Maggie', 'Peggy'], ['Sandra', 'Sandy'],
  ['Ashley', 'Ash'], ['Kimberly', 'Kim'], ['Emily', 'Em'], ['Donna', 'Donnie'], ['Michelle', 'Shelly'],
  ['Carol', 'Carrie'], ['Amanda', 'Mandy'], ['Melissa', 'Missy'], ['Deborah', 'Debbie', 'Deb'], ['Stephanie', 'Steph'],
  ['Rebecca', 'Becky'], ['Laura', 'Laurie'], ['Cynthia', 'Cindy'], ['Kathleen', 'Kathy', 'Kate'], ['Amy', 'Ames'],
  ['Angela', 'Angie'], ['Brenda', 'Bren'], ['Katherine', 'Katie', 'Kate'], ['Christine', 'Chris', 'Tina'],
  ['Victoria', 'Vicky', 'Tori'], ['Maria', 'Mari'], ['Guadalupe', 'Lupe'], ['Rosa', 'Rosie'], ['Latoya', 'Toya'],
  ['Keisha', 'Kiki'], ['Linh', 'Lin'], ['Priya', 'Pri'], ['Theresa', 'Terry', 'Tess'], ['Dorothy', 'Dot', 'Dottie'],
];

export const MIDDLE_INITIALS: readonly string[] = [...'ABCDEFGHJKLMNPRSTW'];

export const SURNAMES: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez',
  'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen',
  'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall',
  'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker',
  'Cruz', 'Edwards', 'Collins', 'Reyes', 'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez',
  'Ortiz', 'Morgan', 'Cooper', 'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward',
  'Richardson', 'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes',
  'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez', 'Powell',
  'Jenkins', 'Perry', 'Russell', 'Sullivan', 'Bell', 'Coleman', 'Butler', 'Henderson', 'Barnes', 'Gonzales',
  'Fisher', 'Vasquez', 'Simmons', 'Romero', 'Jordan', 'Patterson', 'Alexander', 'Hamilton', 'Graham', 'Reynolds',
  'Griffin', 'Wallace', 'Moreno', 'West', 'Cole', 'Hayes', 'Bryant', 'Herrera', 'Gibson', 'Ellis', 'Tran', 'Medina',
  'Aguilar', 'Stevens', 'Murray', 'Ford', 'Castro', 'Marshall', 'Owens', 'Harrison', 'Fernandez', 'McDonald',
  'Woods', 'Washington', 'Kennedy', 'Wells', 'Vargas', 'Henry', 'Chen', 'Freeman', 'Webb', 'Tucker', 'Guzman',
  'Burns', 'Crawford', 'Olson', 'Simpson', 'Porter', 'Hunter', 'Gordon', 'Mendez', 'Silva', 'Shaw', 'Snyder',
  'Mason', 'Dixon', 'Munoz', 'Hunt', 'Hicks', 'Holmes', 'Palmer', 'Wagner', 'Black', 'Robertson', 'Boyd', 'Rose',
  'Stone', 'Salazar', 'Fox', 'Warren', 'Mills', 'Meyer', 'Rice', 'Schmidt', 'Garza', 'Daniels', 'Ferguson',
  'Nichols', 'Stephens', 'Soto', 'Weaver', 'Ryan', 'Gardner', 'Payne', 'Grant', 'Dunn', 'Kowalski', 'Okafor', 'Pham',
];
