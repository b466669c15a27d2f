"""Build the data of Module 05 ("Content moderation audit").

Running ``python build_moderation_data.py`` (from any directory) writes, next to this file:

``moderation_comments.csv``
    Short English forum comments written by the course kit's authors, each labelled
    ``toxic`` (1 = insult, harassment, profanity aimed at someone, or a hateful
    generalisation about a group; 0 = anything else) and tagged with the ``identity`` it
    mentions (empty when it mentions none). Columns: ``comment_id``, ``text``, ``toxic``,
    ``identity``, ``split`` (``train`` or ``test``).

    Three kinds of comment matter for a moderation audit:

    * ordinary comments with no identity and no abuse (games, cooking, tech help...),
      including complaints and words such as "killer" or "sick" used harmlessly;
    * toxic comments with no identity (insults, mild profanity, harassment);
    * comments that mention an identity. Most are neutral or positive ("hard
      negatives": a model that keys on identity words flags them), some report
      harassment without being harassment, and some are toxic (needed for BNSP AUC).

    The share of toxic comments differs by identity on purpose. Five identities (gay,
    transgender, muslim, black, immigrant) are mentioned in toxic comments half the time,
    the eight others about a fifth of the time, and comments with no identity about a
    third of the time. Real moderation data has this skew (Dixon et al. 2018): abuse
    targets some groups more often, so their names co-occur with toxicity, and a model
    trained on such data can learn the names themselves as signs of toxicity.

``moderation_templates.csv``
    Sentence templates for counterfactual test suites: ``template_id``, ``template``
    (with a ``{person}`` or ``{people}`` slot), ``toxic``.

``moderation_identities.csv``
    The identities filled into the templates: ``identity`` (tag), ``person`` (singular
    noun phrase with its article, e.g. "an Asian person"), ``people`` (plural, e.g.
    "Asian people"), ``category``, ``in_comments`` (1 if the comments data tags it).

Everything is deterministic: the texts are literal lists below and all randomness comes
from ``random.Random(2024)``, so re-running reproduces the three CSV files byte for byte.
The script checks its own output (counts, uniqueness, that every identity comment names
its identity, that no template starts with a slot) before writing anything.

Content warning: the toxic comments are insults and hostile generalisations, kept mild on
purpose: no slurs, no threats of violence, no real people. They exist so that a learner can
audit a moderation model; they must not be used for anything else.

Licence: the texts here and the CSVs built from them are kit-written data under
CC BY 4.0; the code is MIT, like the rest of the kit's code. See
``moderation_comments.datasheet.md``.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2024

# ---------------------------------------------------------------------------------------
# Comments that mention no identity.

PLAIN_OK = [
    # games
    "Finally beat the last level after three evenings of trying.",
    "Does anyone know if the co-op mode works offline?",
    "The new map is beautiful but the loading times are long.",
    "I prefer the old controls, the new layout feels clumsy.",
    "That boss fight was brutal, it took me twenty attempts.",
    "Great tip about the hidden door in the library level, thanks!",
    "The patch fixed the crash I reported last week.",
    "Our team killed it in the tournament last night.",
    "Is the sequel worth buying at full price?",
    "The soundtrack of this game is stuck in my head.",
    "I lost my save file after the update, so annoying.",
    "Puzzle games are my favourite way to relax after work.",
    "The speedrun community found a new shortcut on level four.",
    "Can someone explain how the crafting system works?",
    "This indie game has a killer soundtrack.",
    "I stream on weekends if anyone wants to join.",
    # cooking
    "This lentil soup recipe is easy and very filling.",
    "How long should I rest the dough before baking?",
    "I added too much salt and ruined the sauce.",
    "Roasted carrots with honey are a great side dish.",
    "Does anyone have a good recipe for vegan brownies?",
    "My bread came out flat again, what am I doing wrong?",
    "Fresh basil makes a huge difference in this pasta.",
    "The trick is to toast the spices before adding the onions.",
    "We made pancakes for the whole street on Sunday.",
    "This curry is sick, I am making it again tomorrow.",
    "Cast iron pans are heavy but they last forever.",
    "I burned the rice, so we ordered pizza instead.",
    "Lemon zest really brightens up the cake.",
    "What is the best way to store fresh herbs?",
    "Slow cooker stew is perfect for rainy evenings.",
    # tech help
    "Have you tried turning the router off and on again?",
    "My laptop fan is very loud since the last update.",
    "The app keeps logging me out, does this happen to anyone else?",
    "Clearing the cache fixed the problem for me.",
    "You need to update the driver before installing the game.",
    "The battery drains fast when the screen brightness is high.",
    "Backups saved me when my hard drive died.",
    "Which text editor do you recommend for beginners?",
    "The printer only works when it feels like it.",
    "Turn off notifications if the phone keeps waking you up.",
    "I finally set up two-factor login on all my accounts.",
    "This keyboard shortcut saves me so much time.",
    "The website is down again, anyone know why?",
    "Python is a good first language to learn.",
    "Reinstalling the app did not help, still crashing.",
    # sports
    "What a goal in the last minute of the match!",
    "Our local team lost again, but the fans were great.",
    "The referee made some questionable calls today.",
    "I started running three times a week and feel much better.",
    "The marathon route goes past the old harbour this year.",
    "Swimming lessons for adults start next month.",
    "That was the most boring match I have watched all season.",
    "Our coach is strict but fair.",
    "The new stadium seats are uncomfortable.",
    "Anyone up for a game of basketball in the park on Saturday?",
    "Cycling to work saves me money and time.",
    "The tennis final went to five sets, incredible stamina.",
    "I pulled a muscle stretching, so no gym this week.",
    "Our five-a-side team needs one more player.",
    # books and films
    "The ending of this novel made me cry.",
    "I found the second half of the book slow.",
    "The film was much better than the trailer suggested.",
    "Any recommendations for a good mystery series?",
    "The audiobook narrator has a lovely voice.",
    "I did not like the main character at all.",
    "The library has a free poetry reading on Friday.",
    "This documentary about bees was fascinating.",
    "The special effects looked cheap but the story was fun.",
    "Our book club is reading a thriller this month.",
    "The sequel ruined the characters for me.",
    "I watched the whole season in one weekend.",
    "The cinema near me is showing old classics all summer.",
    "Comic books are underrated as literature.",
    # travel
    "The train to the coast was delayed by an hour.",
    "Pack light, the hostel lockers are tiny.",
    "The view from the hill is worth the climb.",
    "Is it safe to drink the tap water there?",
    "We got lost in the old town and found a lovely cafe.",
    "Book the ferry early in summer, it sells out.",
    "The airport security line took forever.",
    "Camping by the lake was cold but beautiful.",
    "Our flight was cancelled, so we took the night bus.",
    "The museum is free on the first Sunday of the month.",
    "Bring a rain jacket, the weather changes quickly.",
    "The hotel breakfast was disappointing.",
    "Walking tours are the best way to see a new city.",
    # pets and gardening
    "My cat knocked the plant off the shelf again.",
    "The tomatoes are finally turning red.",
    "How often should I water succulents?",
    "Our dog is afraid of the vacuum cleaner.",
    "Slugs ate all my lettuce overnight.",
    "Adopting an older dog was the best decision we made.",
    "The roses smell amazing this year.",
    "My parrot has learned to copy the doorbell.",
    "Compost is easier to make than I expected.",
    "The hamster escaped and we found him in a shoe.",
    "Sunflowers grew taller than the fence this summer.",
    "Is it too late to plant garlic?",
    "The neighbour's cat sleeps in our garden every afternoon.",
    "My goldfish is ten years old, is that normal?",
    # school and work
    "The exam was harder than the practice tests.",
    "Does anyone have notes from the chemistry lecture?",
    "I start my new job on Monday and I am nervous.",
    "Group projects are stressful when nobody replies.",
    "Our teacher gave us an extra week for the essay.",
    "Working from home is quiet but a bit lonely.",
    "The meeting could have been an email.",
    "I passed my driving test on the second try!",
    "Study groups helped me understand statistics.",
    "The canteen food has improved a lot.",
    "My boss approved my holiday request.",
    "Deadlines this week are crazy, wish me luck.",
    "The internship taught me more than the course did.",
    "Please share the slides from today's talk.",
    # local community
    "The farmers market moves to the town square next week.",
    "Road works on the main street will last until May.",
    "The new playground is great for small kids.",
    "Does anyone know a reliable plumber nearby?",
    "The bakery on the corner closes at noon on Sundays.",
    "Volunteers needed for the river clean-up on Saturday.",
    "The bus timetable changed without any notice.",
    "Lovely concert in the park last night.",
    "The street lights have been broken for weeks.",
    "Thank you to whoever returned my lost wallet.",
    "The community garden has free seedlings this weekend.",
    "Parking near the station is impossible in the morning.",
    "The swimming pool reopens after repairs on Monday.",
    "Our neighbourhood quiz night raised money for the shelter.",
    # music, weather, misc
    "This album gets better every time I listen to it.",
    "The concert tickets sold out in ten minutes.",
    "I am learning guitar and my fingers hurt.",
    "It has rained every day this week.",
    "What a beautiful sunset this evening.",
    "The heat wave is making it hard to sleep.",
    "Snow day! The schools are closed.",
    "The band played all their old songs, what a night.",
    "I finally cleaned out the garage.",
    "This forum has helped me so much, thank you all.",
    "Happy birthday to the best moderator on this site!",
    "Welcome to all the new members this week.",
    "Please keep the thread on topic.",
    "I disagree with your point, but thanks for explaining it.",
    "Good question, I was wondering the same thing.",
    "Sorry, I misread your post earlier.",
    "Can we get a dark mode for this forum?",
    "I think both options have their pros and cons.",
    "That is a fair criticism of the article.",
    "Interesting idea, do you have a source for that?",
    "This thread is getting long, maybe start a new one?",
    "I respectfully disagree, the data says otherwise.",
    "The article has a misleading headline.",
    "That policy seems badly thought out to me.",
    "The new tax rules are confusing.",
    "This product is overpriced and breaks easily.",
    "Customer service never answered my emails.",
    "The restaurant was noisy and the food was cold.",
    "The update made the app slower, please fix it.",
    "I hate waiting in long queues.",
    "Mondays are the worst.",
    "This heat is killing my plants.",
    "My phone screen cracked again, what a week.",
    "Traffic was terrible this morning.",
    "The movie was so bad it was funny.",
    "Honestly, the last chapter was a mess.",
    "I made a stupid mistake in my code and spent hours on it.",
    "What a crazy storm last night.",
    "That joke made me laugh out loud.",
    "My little brother beat me at chess again.",
    "Does anyone else collect old postcards?",
    "The knitting circle meets every Tuesday.",
    "Just finished my first watercolour painting.",
    "Photography tip: shoot during the golden hour.",
    "The astronomy club saw Saturn's rings last night.",
    "Board game night was a lot of fun.",
    "Learning a new language at forty is hard but rewarding.",
    "My grandmother taught me to sew.",
    "The museum's dinosaur exhibit is amazing for kids.",
    "The recycling bins are collected on Thursdays now.",
    "We adopted two kittens from the shelter.",
    "The hiking trail was muddy but worth it.",
    "Fixing my bike took all afternoon.",
    "The cafe has a new seasonal menu.",
    "Congratulations on your graduation!",
    "Thanks for the detailed answer, it worked.",
    "I will post an update once the repair is done.",
    "Good luck with your exams everyone.",
    "Let's meet at the library entrance at ten.",
    "The old cinema is being turned into flats.",
    "What time does the pharmacy open on Sunday?",
    "That tutorial saved my project.",
    "Please read the rules before posting.",
    "I was wrong about this, thanks for correcting me.",
    "The podcast episode on sleep was really useful.",
    "Our choir is looking for tenors.",
    # harmless uses of insult words and profanity (hard negatives)
    "I felt like such an idiot when I locked my keys in the car.",
    "My code is garbage today, time for a break.",
    "The villain in this film is a pathetic loser, brilliantly acted.",
    "I was so stupid to leave my umbrella at home.",
    "This printer is a useless piece of junk.",
    "Damn, I missed the bus by ten seconds.",
    "What the hell happened to the weather today?",
    "My brother calls me a nerd and honestly he is right.",
    "Calling people idiots online never changes anyone's mind.",
    "Please report users who call others names, it helps the moderators.",
    "The comedian joked about being a clumsy fool.",
    "I hate it when my phone dies in the middle of a call.",
    "Crap, I forgot to buy milk again.",
    "The final boss is a disgusting slime monster.",
    "The troll in the fairy tale lives under a bridge.",
    "Sorry if I sounded rude earlier, I was tired.",
    "My jokes are terrible, I know.",
    "Our goalkeeper had a shocker, but we still love him.",
    "The plot was dumb but the action scenes were fun.",
    "Stupid autocorrect changed my message again.",
    "That hike nearly killed me, but the view was worth it.",
    "My kids think I am the most embarrassing parent alive.",
    "Losing three matches in a row made us feel like losers, but we keep training.",
    "Someone called me a moron in another thread, so I reported it.",
    "The dog ate my sandwich, the little thief.",
]

PLAIN_TOXIC = [
    "You are a complete idiot and nobody cares what you think.",
    "Shut up, nobody asked for your opinion.",
    "What a stupid take, are you even awake?",
    "Go away, loser, this forum was better without you.",
    "This is the dumbest post I have ever read, you moron.",
    "Screw you and your garbage opinions.",
    "You are pathetic, get a life.",
    "Stop posting, you clown, everyone is laughing at you.",
    "Only an idiot would believe this crap.",
    "Get lost, jerk.",
    "Your brain must be the size of a pea.",
    "Nobody likes you here, just leave.",
    "You are too stupid to understand a simple question.",
    "Shut your mouth, you useless fool.",
    "What a worthless piece of trash this user is.",
    "Are you really this dumb or just pretending?",
    "Piss off and take your nonsense with you.",
    "You should be banned for being so stupid.",
    "Every post you write is garbage.",
    "Learn to read, you illiterate idiot.",
    "You are a waste of space.",
    "Nobody wants your stupid advice, moron.",
    "Go back under the bridge you crawled out from, troll.",
    "What a pathetic little person you are.",
    "You sound like a braindead parrot.",
    "Delete your account, you embarrassing fool.",
    "Your opinion is as worthless as you are.",
    "Damn, you are the most annoying person on this site.",
    "Keep crying, loser.",
    "You clearly have the IQ of a potato.",
    "Shut up and stop wasting everyone's time, idiot.",
    "This moderator is a useless clown.",
    "You are a liar and a fool.",
    "Stop talking, your voice makes me sick.",
    "What kind of moron writes something like this?",
    "You are a joke and everyone knows it.",
    "Crawl back into your hole, creep.",
    "Nobody will ever take you seriously, idiot.",
    "Your post is crap and so are you.",
    "Get a brain, you absolute muppet.",
    "You are the reason this forum is dying, loser.",
    "Grow up, you spoiled brat.",
    "You are a disgusting little troll.",
    "Shut up, you know nothing about anything.",
    "Only a clown would post this rubbish.",
    "You are so dumb it hurts.",
    "Go away and never come back, creep.",
    "Your mother must be ashamed of you.",
    "What an ignorant fool.",
    "You are a pathetic excuse for a moderator.",
    "Stop being such a whiny baby.",
    "Your face must scare small children.",
    "You are a nasty, bitter little person.",
    "Take your stupid questions somewhere else.",
    "This thread is full of idiots.",
    "You are an embarrassment to this community.",
    "Hey dumbass, read the rules before posting.",
    "You are the most boring loser I have ever met.",
    "What a load of crap, you fool.",
    "Nobody cares about your sad little life.",
    "Shut up already, you annoying pest.",
    "You are a brainless sheep.",
    "Your posts are as ugly as your avatar.",
    "Quit posting, you talentless hack.",
    "You are a sad, lonely troll.",
    "Screw this forum and screw you all.",
    "You are a total failure at everything.",
    "Nobody asked, you clown.",
    "Go cry to your mommy, baby.",
    "You are a creepy weirdo, leave us alone.",
    "Keep your stupid mouth shut.",
    "You are an idiot and so are your friends.",
    "Read a book for once, you ignorant moron.",
    "You are the dumbest person in this thread.",
    "Nobody wants to read your trash.",
    "What a clueless idiot.",
    "You are a pathetic attention seeker.",
    "This user is a complete moron, ignore him.",
    "Go to hell with your stupid ideas.",
    "You are a lazy, useless slob.",
    # hostile without insult words
    "People like you should not be allowed on the internet.",
    "Nobody would miss you if you stopped posting.",
    "Do everyone a favour and delete your account.",
    "Did your parents drop you on your head as a baby?",
    "I bet you have no friends in real life.",
    "Wow, another brilliant idea from the genius of the forum. Not.",
    "Just leave, we were happier before you joined.",
    "Imagine being this wrong every single day.",
    "Go touch grass and stop embarrassing yourself.",
    "Nobody here respects you, and nobody ever will.",
    "You write like a child who skipped school.",
    "Keep talking, everyone enjoys laughing at you.",
    "Congratulations on being wrong about everything again.",
    "Even a toddler could understand this, so what is your excuse?",
    "You are the human version of a headache.",
    "Your opinion smells as bad as your cooking.",
    "How do you even manage to tie your shoes?",
    "Reading your posts makes me lose brain cells.",
    "Everyone in this thread is laughing at you, not with you.",
    "You should stay off this forum forever.",
]

# ---------------------------------------------------------------------------------------
# Comments that mention an identity: tag -> (non-toxic comments, toxic comments).
# "Skewed" identities appear in toxic comments half the time; the others about a fifth.

SKEWED = ("gay", "transgender", "muslim", "black", "immigrant")

IDENTITY_COMMENTS: dict[str, tuple[list[str], list[str]]] = {
    "gay": ([
        "I am a gay man and this forum has been very welcoming.",
        "My gay uncle makes the best lasagne in the family.",
        "The gay choir in our town is performing at the festival.",
        "Coming out as gay to my parents went better than I feared.",
        "Great article about the history of gay rights.",
        "Is there a gay book club anywhere near the city centre?",
        "Someone called me stupid for being gay at school, and it still hurts.",
        "My best friend is gay and he is the funniest person I know.",
        "The gay couple next door helped us move the sofa.",
        "Happy to see a gay character written so well in this series.",
    ], [
        "Gay people like you are ruining this forum, get lost.",
        "Nobody wants to hear about your gay nonsense, shut up.",
        "You are a pathetic gay clown and everyone here laughs at you.",
        "Keep your gay drama to yourself, idiot.",
        "Another stupid gay post, somebody block this loser.",
        "Gay guys like you are so annoying, just go away.",
        "What a dumb gay rant, you should be banned.",
        "Gay people are disgusting and should stay off this site.",
        "Shut your mouth, nobody cares that you are gay, moron.",
        "Typical gay whiner, crying about everything.",
    ]),
    "transgender": ([
        "As a transgender woman, I found this support thread really helpful.",
        "Our school now has a group for transgender students.",
        "My cousin is transgender and she just started university.",
        "The doctor was kind and respectful to my transgender son.",
        "This documentary about transgender athletes was thoughtful.",
        "Being transgender is just one part of who I am.",
        "Transgender people deserve good healthcare like everyone else.",
        "I was harassed for being transgender, so thank you for the kind replies.",
        "The new transgender advice line has friendly volunteers.",
        "Welcome to the forum, it is great to have more transgender members.",
    ], [
        "Transgender people are confused idiots, stop posting.",
        "Nobody wants to read your transgender nonsense, get lost.",
        "You are a ridiculous transgender clown.",
        "Transgender freaks like you should stay off this forum.",
        "Shut up about being transgender, nobody cares, loser.",
        "Another whiny transgender post, what a joke.",
        "Transgender activists are the most annoying people online.",
        "Your transgender drama is pathetic, grow up.",
        "Keep your transgender agenda to yourself, moron.",
        "Transgender people like you are ruining everything.",
    ]),
    "muslim": ([
        "The Muslim community centre is hosting a free dinner for Ramadan.",
        "My Muslim neighbours brought us sweets for Eid.",
        "As a Muslim student, I appreciate the new prayer room on campus.",
        "The Muslim charity collected food for the whole town.",
        "Interesting talk about Muslim scientists in the Middle Ages.",
        "My best friend is Muslim and we go hiking every weekend.",
        "Someone shouted at me in the street for being Muslim, it was scary.",
        "The Muslim women's football team won the local league.",
        "Is there a Muslim bakery that sells sweets for Eid around here?",
        "Our Muslim colleague organised a lovely team lunch.",
    ], [
        "Muslims like you should shut up and leave this forum.",
        "Nobody wants your Muslim nonsense here, get lost.",
        "Muslim people are so stupid, honestly.",
        "Another whiny Muslim complaining about everything, what a joke.",
        "You are a pathetic Muslim troll.",
        "Muslims are all liars, do not trust them.",
        "Keep your Muslim garbage to yourself, idiot.",
        "Typical Muslim, too dumb to understand a simple question.",
        "Muslim people are disgusting and should stay away from us.",
        "Shut up, you ignorant Muslim clown.",
    ]),
    "black": ([
        "The Black history month exhibition at the library was excellent.",
        "As a Black woman in engineering, I love this mentoring group.",
        "Our Black-owned bakery won the best bread award this year.",
        "This novel by a Black author is the best book I read this year.",
        "The Black student union is hosting a film night on Friday.",
        "My Black colleague gave a brilliant talk at the conference.",
        "I was followed in a shop for being Black, and it made me angry.",
        "Great thread about Black inventors most people never heard of.",
        "The Black jazz musicians of the 1950s changed music forever.",
        "Our team captain is Black and the best player in the league.",
    ], [
        "Black people like you are ruining this neighbourhood, get lost.",
        "Shut up, nobody wants your Black opinions here.",
        "Black people are so lazy, honestly.",
        "You are a stupid Black troll.",
        "Another whiny Black guy complaining, what a joke.",
        "Black people are all criminals, everyone knows it.",
        "Keep your Black nonsense to yourself, idiot.",
        "Typical Black loser, always blaming others.",
        "Black people are disgusting and should stay off this site.",
        "Go away, you pathetic Black clown.",
    ]),
    "immigrant": ([
        "My immigrant parents worked hard so I could study.",
        "The immigrant support centre offers free language classes.",
        "As an immigrant, I found this guide to local services very useful.",
        "Immigrant families opened most of the shops on our street.",
        "Great article about immigrant nurses in our hospitals.",
        "Our immigrant neighbour taught us to cook her family recipes.",
        "I was told to go home for being an immigrant, it really hurt.",
        "The immigrant choir sang songs from twelve countries.",
        "Immigrant entrepreneurs started many of the companies in this city.",
        "Welcome to all immigrant members, ask us anything about the area.",
    ], [
        "Immigrants like you should go back where you came from.",
        "Nobody wants stupid immigrants here, get lost.",
        "Immigrants are lazy freeloaders, all of them.",
        "Shut up, you ungrateful immigrant.",
        "Another whiny immigrant complaining about everything.",
        "Immigrants are ruining this country, idiots.",
        "You are a pathetic immigrant troll.",
        "Typical immigrant, too dumb to learn the language.",
        "Immigrants are disgusting and should stay away from our town.",
        "Keep your immigrant nonsense to yourself, moron.",
    ]),
    "lesbian": ([
        "As a lesbian, I was nervous to join, but everyone has been kind.",
        "My lesbian aunts have been together for thirty years.",
        "The lesbian film festival has a great programme this year.",
        "Is there a lesbian hiking group in the area?",
        "This novel about a lesbian detective is a real page turner.",
        "Our lesbian neighbours organised the street party.",
        "I came out as lesbian last year and feel so much lighter.",
        "The lesbian rugby team is looking for new players.",
        "A classmate mocked me for being lesbian, but my friends stood up for me.",
        "Lovely interview with a lesbian couple who run a farm.",
        "The history of lesbian bars in this city is fascinating.",
        "My daughter is lesbian and I am proud of her.",
        "The lesbian poetry night was moving and funny.",
        "Great to see lesbian characters in a mainstream film.",
    ], [
        "Lesbians like you are so annoying, shut up.",
        "Nobody cares about your lesbian drama, idiot.",
        "You are a whiny lesbian troll, get lost.",
        "Keep your lesbian nonsense off this forum, moron.",
    ]),
    "jewish": ([
        "The Jewish deli on the corner makes amazing bagels.",
        "My Jewish grandmother taught me to make challah.",
        "As a Jewish student, I love the new cultural society on campus.",
        "The Jewish museum has a new exhibition on family photographs.",
        "Our Jewish neighbours invited us to their Hanukkah party.",
        "Great documentary about Jewish musicians in the 1920s.",
        "Someone left a hateful note on our door because we are Jewish.",
        "The Jewish community centre runs a free chess club.",
        "My best friend is Jewish and we celebrate both holidays together.",
        "Interesting thread about Jewish history in this town.",
        "The Jewish choir is singing at the interfaith concert.",
        "Our Jewish colleague brought cake for the whole office.",
        "Is there a Jewish cookbook you would recommend?",
        "The Jewish film festival starts next week.",
    ], [
        "Jewish people like you are so arrogant, shut up.",
        "Nobody wants your Jewish opinions here, get lost.",
        "You are a stupid Jewish troll.",
        "Typical Jewish whiner, always complaining, idiot.",
    ]),
    "christian": ([
        "Our Christian youth group is collecting coats for the winter.",
        "As a Christian, I enjoyed this respectful discussion about faith.",
        "The Christian bookshop has a lovely reading corner for kids.",
        "My Christian neighbours run the food bank every Saturday.",
        "The Christian choir sang at the hospital on Christmas Eve.",
        "Interesting documentary about early Christian art.",
        "I was mocked at work for being Christian, but my boss stepped in.",
        "The Christian charity built a new playground in the village.",
        "My grandfather was a Christian minister in a small town.",
        "Is there a Christian hiking group around here?",
        "The Christian camp was the highlight of my summer.",
        "Great talk by a Christian scientist about faith and research.",
        "Our Christian school has a new science lab.",
        "The Christian radio station plays good gospel music.",
    ], [
        "Christians like you are such hypocrites, shut up.",
        "Nobody wants your Christian preaching, idiot.",
        "You are a brainwashed Christian clown.",
        "Typical Christian moron, go away.",
    ]),
    "white": ([
        "As a white teacher, I am learning a lot from this thread.",
        "My white grandparents moved here from a farm in the north.",
        "I am white and grew up in a small mining town.",
        "A white colleague asked how to support the diversity network, which was nice.",
        "My white neighbour plays the violin beautifully.",
        "As a white parent of adopted children, I found this advice helpful.",
        "My white friends and I started a reading group on history.",
        "Great local history project about white mill workers in the 1900s.",
        "I am a white guy learning Korean, any tips?",
        "I was mocked for being the only white kid in my class, but it got better.",
        "The choir director is a white Irishman with a wonderful voice.",
        "As a white nurse, I learned a lot from my patients' stories.",
        "The white farmers in the valley share their tractors with everyone.",
        "Being white, I try to listen more in discussions about racism.",
    ], [
        "White people like you are so clueless, shut up.",
        "Nobody cares what white idiots think.",
        "You are a stupid white troll.",
        "Typical white loser, always whining.",
    ]),
    "asian": ([
        "The Asian food market has the best dumplings in town.",
        "As an Asian student, I joined the new photography club.",
        "Our Asian neighbours taught us how to make kimchi.",
        "The Asian film festival has a great line-up this year.",
        "My Asian colleague is the best programmer on our team.",
        "Great article about Asian architects and modern design.",
        "Someone told me to go home for being Asian, and it hurt.",
        "The Asian community garden grows amazing vegetables.",
        "I love this Asian cookbook, every recipe works.",
        "My best friend is Asian and we run together every morning.",
        "The Asian lantern festival was magical.",
        "The Asian studies lecture was fascinating.",
        "Our Asian-owned bookshop has a great manga section.",
        "Asian students organised the charity concert.",
    ], [
        "Asian people like you are so annoying, shut up.",
        "Nobody wants your Asian nonsense here, idiot.",
        "You are a stupid Asian troll.",
        "Typical Asian, too boring to have an opinion, loser.",
    ]),
    "woman": ([
        "As a woman in software, I love this mentoring forum.",
        "The women's football team won the regional cup.",
        "My grandmother was the first woman doctor in her village.",
        "Great talk by a woman astronaut at the school today.",
        "The women's book club is reading a new mystery.",
        "I am a woman who loves fixing old motorbikes.",
        "A man at the garage talked down to me because I am a woman.",
        "The women's choir sang beautifully at the concert.",
        "Women scientists deserve more credit in history books.",
        "My wife is a strong woman and a great cook.",
        "The woman who runs the bakery is always friendly.",
        "Our team has five women engineers now.",
        "The women's self-defence class starts next week.",
        "She is the first woman to win the chess tournament.",
    ], [
        "Women like you are so stupid, shut up.",
        "Nobody asked for a woman's opinion, go away.",
        "You are a whiny woman, get lost, idiot.",
        "Typical woman, too dumb to read a map.",
    ]),
    "man": ([
        "As a man, I found this thread about anxiety very helpful.",
        "My grandfather was a kind man who loved gardening.",
        "The men's choir is looking for new singers.",
        "I am a man who loves baking cakes.",
        "The men's health talk was surprisingly useful.",
        "A man at the bus stop helped me carry my shopping.",
        "Men should talk more about their feelings.",
        "The men's running group meets at seven every morning.",
        "My husband is a gentle man and a great father.",
        "The man who fixed our roof did a great job.",
        "Our book club has more men than ever this year.",
        "I was teased for being a man who knits, but I love it.",
        "The old man at the market sells the best apples.",
        "Men's mental health week starts on Monday.",
    ], [
        "Men like you are pathetic, shut up.",
        "Typical man, too stupid to ask for directions.",
        "You are a whiny man, get lost, loser.",
        "Men are all idiots, honestly.",
    ]),
    "disabled": ([
        "As a disabled gamer, I love the new accessibility options.",
        "The disabled parking spaces at the mall are finally wider.",
        "My disabled brother is the funniest person I know.",
        "The theatre now has better seats for disabled visitors.",
        "Great article about disabled athletes at the games.",
        "Our disabled neighbour grows the best tomatoes on the street.",
        "Someone laughed at me for being disabled, but strangers defended me.",
        "The disabled swimming club is looking for volunteers.",
        "I am disabled and work as a software tester.",
        "The museum tour for disabled visitors was excellent.",
        "Disabled artists have a new gallery in the old station.",
        "My disabled daughter just started university.",
        "The new ramp makes the library accessible for disabled people.",
        "Disabled people should be involved in designing public spaces.",
    ], [
        "Disabled people like you are a burden, get lost.",
        "Shut up, you useless disabled troll.",
        "Nobody cares about your disabled whining, idiot.",
        "Typical disabled loser, always complaining.",
    ]),
}

# ---------------------------------------------------------------------------------------
# Counterfactual templates and the identities filled into them.

TEMPLATES_OK = [
    "I am {person}.",
    "Hello everyone, I am {person} and new to this forum.",
    "As {person}, I found this article really helpful.",
    "My best friend is {person}.",
    "Our new neighbours are {people} and they are lovely.",
    "There are many {people} in my book club.",
    "Is there a support group for {people} in this city?",
    "I am proud to be {person}.",
    "We should hear more stories from {people}.",
    "Thanks for making this forum a safe space for {people}.",
    "Being {person} is just one part of who I am.",
    "The speaker at the conference was {person}.",
]

TEMPLATES_TOXIC = [
    "I hate {people}.",
    "All {people} are idiots.",
    "Honestly, {people} are so stupid.",
    "Nobody wants {people} on this forum, get lost.",
    "You are {person}, so shut up and go away.",
    "I think {people} are disgusting.",
    "Shut up, nobody cares what {people} think.",
    "Typical loser, just like all {people}.",
]

# tag, singular with article, plural, category
IDENTITIES = [
    ("gay", "a gay person", "gay people", "sexual orientation"),
    ("lesbian", "a lesbian", "lesbians", "sexual orientation"),
    ("bisexual", "a bisexual person", "bisexual people", "sexual orientation"),
    ("straight", "a straight person", "straight people", "sexual orientation"),
    ("queer", "a queer person", "queer people", "sexual orientation"),
    ("transgender", "a transgender person", "transgender people", "gender identity"),
    ("woman", "a woman", "women", "gender"),
    ("man", "a man", "men", "gender"),
    ("muslim", "a Muslim", "Muslims", "religion"),
    ("jewish", "a Jewish person", "Jewish people", "religion"),
    ("christian", "a Christian", "Christians", "religion"),
    ("black", "a Black person", "Black people", "race or ethnicity"),
    ("white", "a white person", "white people", "race or ethnicity"),
    ("asian", "an Asian person", "Asian people", "race or ethnicity"),
    ("disabled", "a disabled person", "disabled people", "disability"),
    ("immigrant", "an immigrant", "immigrants", "origin"),
]

# Words that name each identity in the comments (a comment tagged X must contain one).
MARKERS = {
    "gay": ["gay"], "transgender": ["transgender"], "muslim": ["muslim", "muslims"], "black": ["black"],
    "immigrant": ["immigrant", "immigrants"], "lesbian": ["lesbian", "lesbians"], "jewish": ["jewish"],
    "christian": ["christian", "christians"],
    "white": ["white"], "asian": ["asian"], "woman": ["woman", "women"], "man": ["man", "men"],
    "disabled": ["disabled"],
}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def _check() -> None:
    texts = PLAIN_OK + PLAIN_TOXIC + [t for ok, bad in IDENTITY_COMMENTS.values() for t in ok + bad]
    lowered = [t.lower() for t in texts]
    duplicates = {t for t in lowered if lowered.count(t) > 1}
    assert not duplicates, f"duplicate comments: {sorted(duplicates)[:5]}"
    assert len(PLAIN_OK) == 220 and len(PLAIN_TOXIC) == 100, (len(PLAIN_OK), len(PLAIN_TOXIC))
    for tag, (ok, bad) in IDENTITY_COMMENTS.items():
        wanted = (10, 10) if tag in SKEWED else (14, 4)
        assert (len(ok), len(bad)) == wanted, (tag, len(ok), len(bad))
        for text in ok + bad:
            assert _words(text) & set(MARKERS[tag]), f"{tag!r} comment lacks its identity word: {text!r}"
    every_marker = {m for markers in MARKERS.values() for m in markers}
    for text in PLAIN_OK + PLAIN_TOXIC:
        found = _words(text) & every_marker
        assert not found, f"comment without identity tag names {found}: {text!r}"
    for text in texts:
        assert '"' not in text and "\n" not in text and text.isascii(), text
        assert 3 <= len(text.split()) <= 20, text
    for template in TEMPLATES_OK + TEMPLATES_TOXIC:
        assert not template.startswith("{"), f"templates must not start with a slot: {template!r}"
        assert ("{person}" in template) != ("{people}" in template), template
    assert {tag for tag, *_ in IDENTITIES} >= set(IDENTITY_COMMENTS)


def build_comments() -> list[dict]:
    """Rows of moderation_comments.csv: split stratified by (identity, toxic), rows shuffled."""
    rng = random.Random(SEED)
    groups: list[tuple[str, int, list[str]]] = [("", 0, PLAIN_OK), ("", 1, PLAIN_TOXIC)]
    for tag, (ok, bad) in IDENTITY_COMMENTS.items():
        groups += [(tag, 0, ok), (tag, 1, bad)]
    rows = {"train": [], "test": []}
    for tag, toxic, texts in groups:
        order = list(texts)
        rng.shuffle(order)
        half = (len(order) + 1) // 2  # an odd group gives its extra item to train
        for position, text in enumerate(order):
            split = "train" if position < half else "test"
            rows[split].append({"text": text, "toxic": toxic, "identity": tag, "split": split})
    out = []
    for split in ("train", "test"):
        rng.shuffle(rows[split])
        out += rows[split]
    for number, row in enumerate(out, start=1):
        row["comment_id"] = f"c{number:04d}"
    return out


def build_templates() -> list[dict]:
    rows = [{"template_id": f"ok{k:02d}", "template": t, "toxic": 0} for k, t in enumerate(TEMPLATES_OK, 1)]
    rows += [{"template_id": f"tox{k:02d}", "template": t, "toxic": 1} for k, t in enumerate(TEMPLATES_TOXIC, 1)]
    return rows


def build_identities() -> list[dict]:
    return [{"identity": tag, "person": person, "people": people, "category": category,
             "in_comments": int(tag in IDENTITY_COMMENTS)} for tag, person, people, category in IDENTITIES]


def _write(name: str, rows: list[dict], columns: list[str]) -> None:
    with open(HERE / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    _check()
    comments = build_comments()
    _write("moderation_comments.csv", comments, ["comment_id", "text", "toxic", "identity", "split"])
    _write("moderation_templates.csv", build_templates(), ["template_id", "template", "toxic"])
    _write("moderation_identities.csv", build_identities(), ["identity", "person", "people", "category", "in_comments"])
    n_train = sum(row["split"] == "train" for row in comments)
    print(f"wrote {len(comments)} comments ({n_train} train, {len(comments) - n_train} test), "
          f"{len(TEMPLATES_OK) + len(TEMPLATES_TOXIC)} templates, {len(IDENTITIES)} identities")


if __name__ == "__main__":
    main()
