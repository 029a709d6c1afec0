// English complaint wording as customers type it on the web form or app (informal, uneven
// punctuation) and as call-centre agents log it (terse, "cust states…").
import type { TicketPhrases } from './phrases.ts';

export const EN_US_PHRASES: TicketPhrases = {
  categories: {
    'network-leak': {
      openings: {
        customer: ['Water is bubbling up out of the street in front of my house', 'There is a water main leak on our street',
          'Looks like a broken pipe, water running down the gutter', 'Water coming up through the sidewalk by my driveway',
          'Big leak near the curb', 'Theres water gushing from the road'],
        agent: ['Cust reports water main leak in street', 'Caller states water surfacing in roadway', 'Possible main break reported by customer',
          'Cust reports leak at curb stop', 'Water running in street per caller'],
      },
      details: {
        customer: ['on {street}', 'near the corner of {street}', 'across from the school', 'by the fire hydrant', 'next to the storm drain',
          'in front of the neighbors yard', 'at the end of the block', 'the road is starting to sink', 'its pooling at the intersection',
          'pressure seems really strong', 'ice forming on the road in the mornings', 'cars are splashing through it'],
        agent: ['on {street}', 'near {street} intersection', 'across from school', 'by hydrant', 'next to storm drain',
          'front of neighboring property', 'pavement settling per cust', 'water pooling at intersection', 'heavy flow reported',
          'icing hazard'],
      },
      tried: {
        customer: ['called last week, nobody came', 'turned off my own shutoff and it is still running', 'neighbor reported it too',
          'sent pictures through the app'],
        agent: ['prior report no crew dispatched', 'cust closed own shutoff, no change', 'multiple callers on this one',
          'photos submitted via app'],
      },
      timed: true,
    },
    'internal-leak-high-bill': {
      openings: {
        customer: ['My water bill is way higher than normal', 'I want to dispute my last bill', 'Bill is triple what we usually pay',
          'Why is my bill so high this month?', 'I think I may have a leak, my bill went up a lot'],
        agent: ['Cust disputing high bill', 'High bill complaint, requests re-read', 'Caller questions usage on last statement',
          'Cust requests billing review, possible internal leak'],
      },
      details: {
        customer: ['last bill was ${amount}', 'bill came to ${amount} when we usually pay a quarter of that', 'only 2 people live here',
          'we were out of town half the month', 'second month in a row', 'no change in usage on our end', 'amount due ${amount}'],
        agent: ['stmt amount ${amount}', 'billed ${amount}', '2 occupants', 'cust was away half of period', '2nd consecutive high bill',
          'no change in usage per cust'],
      },
      tried: {
        customer: ['checked all the toilets, no running', 'shut everything off and the meter still moves', 'had a plumber out, found nothing',
          'took a photo of the meter reading'],
        agent: ['cust checked toilets, no leak found', 'meter moving with all fixtures off per cust', 'plumber found nothing',
          'cust has photo of read'],
      },
      timed: false,
    },
    'meter-check': {
      openings: {
        customer: ['Meter keeps spinning with everything turned off', 'Please check my water meter, I dont think its reading right',
          'Meter is not moving even when we use water', 'Meter lid is broken and I cant read it', 'Leak at the meter box'],
        agent: ['Meter accuracy check requested', 'Cust requests meter accuracy check', 'Meter registering with all fixtures off per cust',
          'Reported meter malfunction', 'Cust requests verification of meter read'],
      },
      details: {
        customer: ['meter is by the sidewalk', 'meter box is in the front yard', 'reading does not match the bill',
          'the meter is pretty old', 'lid is cracked', 'meter pit is full of water', 'dripping at the connection'],
        agent: ['meter at sidewalk', 'meter box front yard', 'read does not match bill', 'older meter', 'lid cracked',
          'pit flooded', 'drip at meter coupling'],
      },
      tried: {
        customer: ['took a picture of the reading', 'closed the main shutoff and checked again', 'wrote down the reading two days in a row'],
        agent: ['cust sent photo of read', 'cust closed main shutoff to check', 'cust logged reads 2 days'],
      },
      timed: true,
    },
    'no-water': {
      openings: {
        customer: ['We have no water', 'No water at the house', 'Water pressure is really low, barely a trickle',
          'Water just shut off with no notice', 'Nothing coming out of the taps'],
        agent: ['No water at premise', 'Cust reports loss of service', 'Low pressure complaint', 'Outage reported by customer',
          'Caller has no water, no planned work on record'],
      },
      details: {
        customer: ['on {street}', 'whole street is out', 'neighbors have water, just us', 'we have small kids at home',
          'elderly resident in the home', 'upstairs has nothing, downstairs a trickle', 'no notice on the door'],
        agent: ['on {street}', 'whole block affected', 'only this premise affected', 'small children in home', 'elderly resident',
          'no door hanger left'],
      },
      tried: {
        customer: ['checked the main valve, its open', 'asked the neighbors', 'checked the website for outages, nothing posted'],
        agent: ['cust confirmed main valve open', 'no outage posted for area', 'neighbors checked'],
      },
      timed: true,
    },
    'sewage-overflow': {
      openings: {
        customer: ['Sewer is backing up into the street', 'Sewage overflowing from the manhole', 'Sewer smell is terrible and its overflowing',
          'Our sewer line is backed up'],
        agent: ['SSO reported by customer', 'Cust reports manhole overflowing', 'Sewer backup reported', 'Sewage in roadway per caller'],
      },
      details: {
        customer: ['on {street}', 'in front of the church', 'coming into the basement', 'the smell is inside the house', 'near the bus stop',
          'kids walk right past it', 'running toward the creek'],
        agent: ['on {street}', 'in front of church', 'entering basement', 'odor inside residence', 'near bus stop',
          'flowing toward creek'],
      },
      tried: {
        customer: ['called the city and they sent us to you', 'had it snaked and it came back', 'reported it twice already'],
        agent: ['referred by city', 'cust had line cleared, recurred', 'repeat caller'],
      },
      timed: true,
    },
    'water-quality': {
      openings: {
        customer: ['Water is coming out brown', 'Our water smells like chlorine', 'Water looks cloudy', 'Water tastes funny',
          'Yellowish water from the tap'],
        agent: ['Discolored water complaint', 'Taste and odor complaint', 'Cust reports cloudy water', 'Water quality concern'],
      },
      details: {
        customer: ['from every faucet', 'only from the kitchen tap', 'mostly in the morning', 'started after the crew worked on the street',
          'neighbors noticed it too', 'leaving stains in the tub'],
        agent: ['all taps', 'kitchen tap only', 'worse in AM', 'began after crew work on street', 'neighbors report same',
          'staining fixtures'],
      },
      tried: {
        customer: ['ran the cold water for 10 minutes', 'changed the filter', 'flushed the water heater'],
        agent: ['cust flushed cold tap 10 min, no change', 'cust replaced filter', 'water heater flushed'],
      },
      timed: true,
    },
    'new-connection': {
      openings: {
        customer: ['I need to set up a new water service', 'New construction, need a meter installed', 'Checking on my new service application',
          'When will my new meter be installed?'],
        agent: ['New service request', 'Cust inquiring on new connection status', 'New meter set requested for new build',
          'Follow up on service application'],
      },
      details: {
        customer: ['lot is on {street}', 'building has {floor} units', 'single family home', 'building is ready for final inspection',
          'permit is approved', 'contractor is waiting on us'],
        agent: ['lot on {street}', 'multi-unit, {floor} units', 'SFR', 'ready for final', 'permit approved'],
      },
      tried: {
        customer: ['applied online', 'paid the tap fee', 'came to the office twice'],
        agent: ['application submitted online', 'tap fee paid', 'cust visited office x2'],
      },
      timed: false,
    },
  },
  durations: {
    customer: ['since yesterday', 'for 2 days now', 'since this morning', 'for about a week', 'for over a week', 'since last night',
      'since the weekend', 'for 3 days', 'on and off for a few days'],
    agent: ['x2 days', 'since AM', 'approx 1 wk', 'since yesterday', 'ongoing 3 days', 'since last night', 'approx 2 days',
      'started overnight', 'since last wk', 'intermittent x several days'],
  },
  contact: {
    customer: ['please call before coming out', 'call my cell', 'I am home after 4', 'please fix asap', 'thank you',
      'text me when someone is on the way', 'I work nights so mornings are bad', 'my number is on the account',
      'we have a dog in the back yard', 'gate is unlocked', 'let me know when its fixed please'],
    agent: ['call ahead requested', 'cust available after 4pm', 'cust requests callback', 'advised of response time',
      'prefers text updates', 'forwarded to field ops', 'callback number verified', 'cust home all day', 'dog on property',
      'cust asked for ETA', 'gate unlocked for crew'],
  },
  joiners: { customer: ['. ', ', ', ' - ', '... '], agent: ['. ', '; ', ' - ', ', '] },
  endings: { customer: ['', '.', '!', '.'], agent: ['', '.'] },
};
