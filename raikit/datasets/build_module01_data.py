"""Build the two small text datasets used by Module 01 ("Evaluation and benchmarks").

Running ``python build_module01_data.py`` (from any directory) writes, next to
this file:

``product_reviews.csv``
    400 short English product reviews written by the course kit's authors,
    with a binary sentiment ``label`` (1 = positive, 0 = negative; 200 each),
    a product ``category`` and a ``phenomenon`` tag:

    * ``plain`` -- ordinary, explicit sentiment; a lexicon model should get
      these right.
    * ``negation`` -- sentiment carried through negation ("not bad at all",
      "I wouldn't call these knives sharp").
    * ``mixed`` -- praise and complaint in the same review; the overall
      verdict is still clear.
    * ``sarcasm`` -- the literal words say the opposite of what is meant
      (including a few "ironic complaints" that are really praise).
    * ``domain_slang`` -- informal / internet slang ("slaps", "mid", "sick",
      "bricked") that general-purpose lexicons misread.

    The hard phenomena exist so that students can slice a benchmark and see
    where a lexicon model such as VADER fails, instead of trusting one
    aggregate accuracy number.

    Ids r0001..r0200 are the *training* split and r0201..r0400 the *test*
    split. The split is stratified by (label, phenomenon), so each split holds
    100 positive and 100 negative reviews with the same phenomenon mix.

``web_crawl.csv``
    300 documents simulating a slice of a "pretraining web crawl", used to
    teach benchmark-contamination detection (exact match, near-duplicate and
    embedding-based paraphrase detection). ``leak_type`` is:

    * ``exact`` (40) -- a test review copied verbatim;
    * ``near`` (40) -- a test review with small surface edits (casing,
      punctuation, one or two synonyms, a "Review:" prefix, a star rating);
    * ``paraphrase`` (40) -- a test review reworded by hand, same meaning;
    * ``none`` (180) -- unrelated web text (forum posts, product descriptions,
      news-like snippets, recipes, travel tips, notices), of which 40 are
      product reviews on the same kinds of products that are *not* copies of
      any benchmark review (hard negatives for a detector).

    ``source_review_id`` names the copied review (empty for ``none``). Only
    test-split reviews (r0201..r0400) are leaked, each at most once.

Everything is deterministic: all randomness comes from ``random.Random(2024)``
and the texts are literal lists below, so re-running the script reproduces
both CSV files byte for byte. The script checks its own output (counts,
lengths, uniqueness, leak bookkeeping) before writing anything.

Licence: the texts in this file and the CSVs built from them are kit-written
data under CC BY 4.0; the code is MIT, like the rest of the kit's code.
See ``product_reviews.datasheet.md`` and ``web_crawl.datasheet.md``.
"""

from __future__ import annotations

import csv
import random
import re
from collections import Counter
from pathlib import Path

SEED = 2024
HERE = Path(__file__).resolve().parent
REVIEWS_CSV = HERE / "product_reviews.csv"
CRAWL_CSV = HERE / "web_crawl.csv"

CATEGORIES = ["electronics", "kitchen", "books", "clothing", "toys", "garden", "software", "travel"]
PHENOMENA = ["plain", "negation", "mixed", "sarcasm", "domain_slang"]

# ---------------------------------------------------------------------------
# 1. Benchmark reviews.
#
# Each entry is (label, phenomenon, text) or (label, phenomenon, text,
# paraphrase). An entry with a paraphrase is one of the 40 reviews that the
# web crawl leaks in reworded form; the build forces it into the test split.
# ---------------------------------------------------------------------------
P, N = 1, 0  # positive, negative

REVIEWS: dict[str, list[tuple]] = {
    "electronics": [
        # plain, positive
        (P, "plain", "Setup took five minutes and the sound quality on these earbuds is excellent for the price.",
         "Getting these earbuds running was quick, and for what they cost, the audio is superb."),
        (P, "plain", "My old router could barely reach the bedroom; this one covers the whole house with a strong signal. Very happy."),
        (P, "plain", "Bought this webcam for work calls and the picture is sharp and clear, even in a dim room."),
        (P, "plain", "The portable charger is slim, charges my phone twice, and feels sturdy. Great purchase."),
        (P, "plain", "Love this e-reader! The screen is easy on the eyes and the battery lasts for weeks."),
        (P, "plain", "Fast shipping, easy pairing, and the keyboard feels wonderful to type on."),
        (P, "plain", "This smart plug works perfectly with my voice assistant and the app is simple to use."),
        (P, "plain", "Excellent monitor. Colors are vibrant, no dead pixels, and the stand adjusts nicely."),
        (P, "plain", "The Bluetooth speaker is surprisingly loud and the bass is rich. Perfect for the patio."),
        (P, "plain", "Great little dashcam. Footage is crisp at night and installation was painless."),
        (P, "plain", "My daughter loves her new tablet; it's fast and the parental controls are really helpful."),
        (P, "plain", "Really impressed with this USB-C hub, every port works and it stays cool."),
        (P, "plain", "Best wireless mouse I've owned. Comfortable grip, and one battery lasts for months."),
        (P, "plain", "Noise cancelling headphones that actually deliver. Flights are so much more pleasant now."),
        (P, "plain", "Solid, reliable external drive. Transfers are quick and it runs quietly on my desk."),
        (P, "plain", "The smartwatch tracks my runs accurately and the strap is comfortable all day. Highly recommend."),
        # plain, negative
        (N, "plain", "Stopped charging after three weeks. Terrible quality and customer support never replied.",
         "Within a month it would no longer take a charge; the build is shoddy and my emails to the company went unanswered."),
        (N, "plain", "The earbuds keep disconnecting from my phone. Very frustrating and a waste of money."),
        (N, "plain", "Cheap plastic, the buttons stick, and the remote broke the first time it was dropped."),
        (N, "plain", "Awful picture quality. The camera is blurry even in good light and the app crashes constantly."),
        (N, "plain", "Disappointed with this speaker; the sound is tinny and distorted at half volume."),
        (N, "plain", "The cable frayed within a month. Poorly made and overpriced."),
        (N, "plain", "Horrible battery life on this laptop, barely two hours before it dies."),
        (N, "plain", "The charger gets dangerously hot. I returned it immediately because I was worried it might start a fire."),
        (N, "plain", "Worst keyboard I've bought. Keys double type and the backlight flickers."),
        (N, "plain", "The fitness tracker's heart rate readings are wildly wrong, so it's useless for training."),
        (N, "plain", "Arrived with a cracked screen and the replacement had dead pixels. A very poor experience."),
        (N, "plain", "These headphones hurt my ears after twenty minutes and the padding is already peeling."),
        (N, "plain", "Annoying hum from the soundbar whenever it's idle. I regret buying it."),
        (N, "plain", "Printer jams on every third page and the ink runs out absurdly fast. Avoid."),
        # negation
        (P, "negation", "Honestly not bad at all for a budget tablet; it handles email and video without any lag."),
        (P, "negation", "I never had a single dropout with these headphones, even on long train rides."),
        (P, "negation", "Couldn't be happier with this monitor arm, my desk finally feels organized."),
        (P, "negation", "No complaints after a year of daily use. The drive hasn't skipped a beat."),
        (N, "negation", "I wouldn't say the camera is great; photos look washed out unless you're outdoors.",
         "Pictures from this camera come out pale and faded indoors, so I can't call it a good one."),
        (N, "negation", "Not worth the price. The smart bulb doesn't stay connected for more than a day."),
        (N, "negation", "Not as fast as advertised, and it doesn't support the charging standard my phone uses."),
        (N, "negation", "The sound isn't terrible, but it's nowhere near what the reviews promised."),
        # mixed
        (P, "mixed", "The battery could be bigger and the case scratches easily, but the camera is superb and I'd buy it again.",
         "Despite a so-so battery and a finish that marks easily, the camera is outstanding and I would purchase it again."),
        (P, "mixed", "Instructions were useless and setup took an hour, yet the mesh system has been rock solid since."),
        (P, "mixed", "A bit pricey and the app is clunky, but the sound is fantastic and it's become my everyday speaker."),
        (N, "mixed", "Gorgeous design and a lovely screen, but it overheats and restarts randomly. Returning it."),
        (N, "mixed", "Sounded great for the first week, then Bluetooth started dropping every few minutes. Sending it back."),
        (N, "mixed", "Nice packaging and quick delivery, but the earbuds are uncomfortable and the left one crackles."),
        # sarcasm
        (N, "sarcasm", "Oh wonderful, a smart speaker that only understands me on the fifth try. Exactly what I wanted."),
        (N, "sarcasm", "Love how the battery goes from 80% to dead in ten minutes. Truly cutting-edge technology.",
         "The battery plunges from eighty percent to nothing in about ten minutes, which is hardly the advanced tech they advertise."),
        (N, "sarcasm", "Great, another charger that lasted just long enough for the return window to close."),
        (N, "sarcasm", "Really appreciate the printer refusing to print in black because the yellow cartridge is empty. Genius design."),
        (P, "sarcasm", "Terrible purchase: now my whole family fights over who gets to use the new headphones."),
        # domain slang
        (P, "domain_slang", "These earbuds slap. Bass goes hard and the mic is crisp, lowkey the best thirty bucks I've spent."),
        (P, "domain_slang", "Sick gaming monitor, 165Hz is buttery smooth and the colors pop. Killer deal too."),
        (N, "domain_slang", "Bricked itself after the firmware update. Total L, and support just ghosted me."),
    ],
    "kitchen": [
        # plain, positive
        (P, "plain", "This cast iron skillet heats evenly and gives steak a perfect crust. Worth every penny."),
        (P, "plain", "The blender crushes ice in seconds and is easy to clean. Very pleased."),
        (P, "plain", "Great knife set, sharp out of the box, and the block looks nice on the counter."),
        (P, "plain", "My coffee tastes so much better with this grinder. Consistent grind and pleasantly quiet too."),
        (P, "plain", "Love these glass containers. The lids seal tightly and my lunch stays fresh all day."),
        (P, "plain", "The air fryer makes crispy fries with barely any oil. Our family loves it and uses it every day.",
         "We use this air fryer daily; it turns out crunchy chips with almost no oil, and we're delighted with it."),
        (P, "plain", "Sturdy cutting board with beautiful wood grain, and it still looks great after months of use."),
        (P, "plain", "Perfect kettle. Boils fast, switches off reliably, and the handle stays cool."),
        (P, "plain", "Excellent nonstick pan; eggs slide right off and cleanup takes seconds."),
        (P, "plain", "The stand mixer is powerful and handles heavy bread dough with ease. Happy baker here!"),
        (P, "plain", "These measuring spoons are sturdy and the markings are engraved, so they'll last. Nice buy."),
        (P, "plain", "The rice cooker makes perfect fluffy rice every single time. Simple and dependable."),
        (P, "plain", "Wonderful teapot, pours cleanly and keeps the tea warm for ages."),
        (P, "plain", "The slow cooker is great for busy weeknights. Dinner is ready and delicious when I get home."),
        (P, "plain", "Really good vegetable peeler, comfortable and sharp. I should have upgraded years ago."),
        (P, "plain", "The French press is elegant and makes rich, smooth coffee. A lovely gift, too."),
        (P, "plain", "Nice sturdy colander with little feet so it stands in the sink. Does the job well."),
        # plain, negative
        (N, "plain", "The nonstick coating started flaking after two weeks. Very disappointed and worried about safety."),
        (N, "plain", "Flimsy toaster that burns one side and leaves the other pale. Returned it."),
        (N, "plain", "The lid of this travel mug leaks everywhere. Ruined my work bag.",
         "Coffee seeps out around the mug's lid, and it has already destroyed the bag I carry to the office."),
        (N, "plain", "Blades went dull after a month. Poor quality for such an expensive knife."),
        (N, "plain", "The blender is painfully loud and the jar cracked on the third use."),
        (N, "plain", "Terrible can opener. It slips off the rim constantly and leaves sharp edges."),
        (N, "plain", "The scale gives different readings for the same bag of flour. Useless for baking."),
        (N, "plain", "Cheap handles that wobble and get hot. I regret buying this saucepan set."),
        (N, "plain", "The food processor's motor smells like burning plastic. Awful."),
        (N, "plain", "Mold grew in the hidden seal of this water bottle and it's impossible to clean. Gross."),
        (N, "plain", "The coffee maker leaks water under the base every single morning. So annoying."),
        (N, "plain", "Rusty spots appeared on the baking sheet after the first wash. Disappointing."),
        (N, "plain", "This ice cream maker never froze anything properly. A waste of time and money."),
        (N, "plain", "The microwave's door latch broke within two months. Poor build quality."),
        # negation
        (P, "negation", "Not the prettiest kettle, but I can't complain about how quickly it boils."),
        (P, "negation", "I didn't expect much from a cheap pan, but it hasn't scratched or warped at all."),
        (P, "negation", "Never burned a single batch of cookies since switching to these baking mats."),
        (P, "negation", "This grater isn't flimsy like my last one, and nothing gets stuck in it."),
        (N, "negation", "Not impressed. The pot's handle isn't riveted properly and it wobbles when full."),
        (N, "negation", "I wouldn't call these knives sharp; they struggle with a ripe tomato.",
         "These knives are too dull to slice through a soft tomato without a fight."),
        (N, "negation", "The mixer doesn't have enough power for bread dough, and it's not quiet either."),
        (N, "negation", "Can't recommend this juicer. It doesn't extract much juice and it clogs constantly."),
        # mixed
        (P, "mixed", "The espresso machine takes up a lot of space and the manual is confusing, but the coffee is outstanding."),
        (P, "mixed", "Bit heavy and the handle gets warm, but this Dutch oven makes the best stew I've ever cooked.",
         "It's heavy and the handle heats up, yet no pot has ever given me a better stew than this Dutch oven."),
        (P, "mixed", "Took a while to learn the settings, though now the pressure cooker saves me hours every week."),
        (N, "mixed", "The toaster looks stylish on the counter, but it toasts unevenly and the crumb tray jams."),
        (N, "mixed", "Nice sharp blades, shame the handle cracked after a few washes. Not buying this brand again."),
        (N, "mixed", "Love the color and the size is fine, but the enamel chipped within a month. Disappointed."),
        # sarcasm
        (N, "sarcasm", "Fantastic, a 'dishwasher safe' pan that comes out of the dishwasher looking like a science experiment."),
        (N, "sarcasm", "Oh sure, this spatula is heat resistant, right up until it melts into your eggs.",
         "The spatula is sold as heat resistant, but mine melted into my scrambled eggs."),
        (N, "sarcasm", "I just adore a coffee grinder that sprays grounds across the entire kitchen. So much fun to clean."),
        (N, "sarcasm", "Five stars for the toaster's built-in smoke alarm test. Works every single morning."),
        # domain slang
        (P, "domain_slang", "This air fryer is lowkey goated. Wings come out bussin every time."),
        (N, "domain_slang", "Mid blender at best. Smoothies come out chunky, hard pass."),
    ],
    "books": [
        # plain, positive
        (P, "plain", "A beautifully written novel with characters I cared about. I finished it in one weekend."),
        (P, "plain", "This cookbook has clear instructions and gorgeous photos. Every recipe I've tried worked."),
        (P, "plain", "Gripping thriller with a twist I didn't see coming. Highly recommend.",
         "A suspenseful page-turner whose surprise ending caught me off guard; I'd urge anyone to read it."),
        (P, "plain", "The history book is well researched yet easy to read. I learned a lot."),
        (P, "plain", "My son loves this picture book; the illustrations are charming and funny."),
        (P, "plain", "Excellent introduction to statistics, with friendly explanations and useful exercises."),
        (P, "plain", "A warm, hopeful memoir. I laughed and cried in equal measure and loved every page."),
        (P, "plain", "The poetry collection is stunning. Several poems have stayed with me for weeks."),
        (P, "plain", "Great gardening guide for beginners, practical and well organized."),
        (P, "plain", "Fantastic opener to a fantasy series, with rich world building and a satisfying ending."),
        (P, "plain", "The hardcover edition is lovely, with sturdy binding and thick, creamy paper."),
        (P, "plain", "Brilliant science writing that makes complicated ideas feel exciting."),
        (P, "plain", "Perfect beach read: light, funny, and romantic without being silly."),
        (P, "plain", "This travel guide was invaluable on our trip. Accurate maps and great restaurant tips."),
        (P, "plain", "A clever mystery with a likeable detective. I've already ordered the sequel!"),
        (P, "plain", "Wonderful bedtime stories, short enough for tired parents and lovely for kids."),
        # plain, negative
        (N, "plain", "Boring and repetitive. I gave up halfway through.",
         "The book kept saying the same dull things over and over, so I abandoned it at the midpoint."),
        (N, "plain", "The plot is predictable and the dialogue feels forced. Disappointing after all the hype."),
        (N, "plain", "Pages fell out of the binding on the first read. Poor printing quality."),
        (N, "plain", "Full of typos and factual errors. The editing is terrible."),
        (N, "plain", "The self-help advice is shallow and padded with filler. A waste of money."),
        (N, "plain", "I hated the ending; it undid everything the story had built up."),
        (N, "plain", "The Kindle version has broken formatting and missing images. Frustrating."),
        (N, "plain", "Dull characters and a plot that drags. I struggled to finish it."),
        (N, "plain", "The recipes in this cookbook are unreliable, and two of them failed completely."),
        (N, "plain", "This textbook is confusing and poorly organized. My students disliked it."),
        (N, "plain", "Arrived with a torn cover and bent pages. A very disappointing gift."),
        (N, "plain", "Too much gore for my taste, and the violence felt pointless."),
        (N, "plain", "The translation is clumsy and awkward, which ruined the poetry for me."),
        (N, "plain", "Overlong, preachy, and badly paced. Sadly, I can't recommend it."),
        # negation
        (P, "negation", "I was not expecting to enjoy a book about accounting, but it never once felt dull."),
        (P, "negation", "Not a single wasted chapter. I couldn't put it down.",
         "Every chapter earns its place, and I read it compulsively from start to finish."),
        (P, "negation", "Don't let the slow first chapter fool you; this is not a book you'll forget."),
        (P, "negation", "Nothing about this biography felt rushed or shallow, and I didn't want it to end."),
        (N, "negation", "Not the gripping thriller the cover promised; I never cared who the killer was."),
        (N, "negation", "I wouldn't call it a masterpiece. Honestly, I don't remember much of it a week later."),
        (N, "negation", "It's not funny, not clever, and definitely not worth the hardcover price."),
        (N, "negation", "The author doesn't explain anything clearly and never gets to the point."),
        # mixed
        (P, "mixed", "The middle section drags and a few characters are flat, but the ending is so powerful it won me over."),
        (P, "mixed", "Some chapters are dry, yet overall this is the most useful programming book on my shelf."),
        (P, "mixed", "The cover art is ugly and the font is tiny, but the stories themselves are delightful."),
        (N, "mixed", "Lovely prose and a great premise, unfortunately the plot collapses in the second half.",
         "The writing is beautiful and the idea is promising, but the story falls apart after the midpoint."),
        (N, "mixed", "The photos are beautiful, but the instructions are vague and several projects simply don't work."),
        (N, "mixed", "Interesting idea for a novel, though the execution is clumsy and I was bored by page fifty."),
        # sarcasm
        (N, "sarcasm", "What a page-turner: I kept turning pages hoping anything would happen. Nothing did."),
        (N, "sarcasm", "Loved spending four hundred pages waiting for a plot that never arrived."),
        (N, "sarcasm", "Excellent cure for insomnia. Two pages and I was fast asleep every night.",
         "This book is so dull that I dozed off within a couple of pages each night."),
        (P, "sarcasm", "Do not buy this book if you have plans tomorrow. It kept me up until 3 a.m. and ruined my morning."),
        # domain slang
        (P, "domain_slang", "Absolute banger of a fantasy novel, the magic system goes so hard. No notes."),
        (P, "domain_slang", "This thriller had me in a chokehold fr, read it in one sitting. Ten outta ten."),
        (N, "domain_slang", "Mid plot, cringe dialogue, and a main character with zero rizz. DNF at 40%."),
    ],
    "clothing": [
        # plain, positive
        (P, "plain", "The jeans fit perfectly and the fabric is soft but sturdy. Ordering another pair."),
        (P, "plain", "Warm, lightweight winter jacket. Kept me comfortable on a freezing walk.",
         "This winter coat is light but cozy, and it kept me warm during a bitterly cold stroll."),
        (P, "plain", "Lovely dress, flattering cut, and the color is exactly as pictured."),
        (P, "plain", "These running socks are comfortable and my blisters are finally gone."),
        (P, "plain", "Great quality cotton t-shirts that kept their shape after many washes."),
        (P, "plain", "The wool sweater is cozy, well knit, and soft against the skin."),
        (P, "plain", "Comfortable sneakers straight out of the box. I wore them all day at the zoo."),
        (P, "plain", "Beautiful scarf with rich colors. I've received so many compliments!"),
        (P, "plain", "The raincoat is truly waterproof and the hood stays put in the wind. Excellent."),
        (P, "plain", "Perfect fit on the leggings, and the pockets are deep enough for my phone."),
        (P, "plain", "Stylish leather belt that looks expensive. Very happy with it."),
        (P, "plain", "The pajamas are soft and breathable. Best sleep I've had in ages."),
        (P, "plain", "Nice hiking boots: supportive, grippy, and comfortable on long trails."),
        (P, "plain", "My husband loves this shirt. Sharp collar, and it irons easily."),
        (P, "plain", "Cute and comfy hoodie, and the sizing chart was accurate."),
        (P, "plain", "These gloves are warm and the touchscreen fingertips really work. Great buy."),
        # plain, negative
        (N, "plain", "The shirt shrank two sizes after one wash. Very disappointed.",
         "A single trip through the washing machine left this shirt two sizes smaller, which really let me down."),
        (N, "plain", "Cheap, see-through fabric and loose threads everywhere. Returning it."),
        (N, "plain", "The zipper broke the second time I wore this jacket. Poor quality."),
        (N, "plain", "These shoes gave me painful blisters within an hour."),
        (N, "plain", "The color faded badly after a few washes and now it looks old and worn."),
        (N, "plain", "The sizing is completely wrong; the medium is too tight even on my petite sister."),
        (N, "plain", "Itchy, scratchy sweater that started pilling the first time I wore it. Awful."),
        (N, "plain", "The dye bled onto my other clothes in the wash and ruined them."),
        (N, "plain", "Boots leaked on the first rainy day. Useless for winter."),
        (N, "plain", "Seams split at the shoulder after one afternoon of wear. Terrible."),
        (N, "plain", "The dress looks nothing like the photo; the material feels cheap and shiny."),
        (N, "plain", "Uncomfortable waistband that digs in, and the pockets are fake. Disappointed."),
        (N, "plain", "The hat is flimsy and lost its shape the first day. Not worth a penny."),
        # negation
        (P, "negation", "Haven't had a single blister since switching to these shoes, even on long shifts."),
        (P, "negation", "Couldn't ask for a better fit, and the color hasn't faded after months of washing."),
        (P, "negation", "I wasn't sure about ordering shoes online, but there's nothing I'd change about these."),
        (N, "negation", "Not as warm as I expected; I was shivering in this coat at five degrees.",
         "This coat is colder than I'd hoped, and at five degrees I was trembling."),
        (N, "negation", "These jeans don't stretch at all and definitely aren't the 'comfort fit' advertised."),
        (N, "negation", "I wouldn't say the quality is great for the price; the stitching is already loose."),
        # mixed
        (P, "mixed", "Runs a little large and shipping was slow, but the coat is warm and beautifully made."),
        (P, "mixed", "The color is slightly darker than pictured, but the fit is so good I bought two."),
        (P, "mixed", "Took a few wears to break in and the laces are short; still, these are my favorite boots now."),
        (N, "mixed", "The design is cute, but the fabric is thin and it ripped at the seam. Not worth it."),
        (N, "mixed", "Super soft and comfortable, sadly it shrank so much after washing that my kid can't wear it.",
         "The fabric feels lovely, but after one wash it had shrunk so much that it no longer fits my child."),
        (N, "mixed", "Arrived fast and well wrapped, but the shoes are half a size small and pinch badly."),
        # sarcasm
        (N, "sarcasm", "Amazing 'waterproof' jacket. I've never been so thoroughly soaked in my life.",
         "The jacket claims to be waterproof, yet I have never been wetter than while wearing it."),
        (N, "sarcasm", "Love a pair of socks that develops holes after one wear. Very eco-friendly, I guess."),
        (N, "sarcasm", "So glad I paid extra for the 'premium' shirt that fell apart before its first wash."),
        (P, "sarcasm", "Warning: these sweatpants are so comfortable you will never want to wear real pants again. They ruined me."),
        # domain slang
        (P, "domain_slang", "This fit is fire. Jacket drips, true to size, and I'm getting compliments everywhere."),
        (N, "domain_slang", "The 'oversized' tee is giving cheap polyester. Fabric is straight-up sus, hard pass."),
        (N, "domain_slang", "These sneakers are mid fr, the sole peeled after two weeks. Not it."),
    ],
    "toys": [
        # plain, positive
        (P, "plain", "My kids have played with these building blocks every day since Christmas. Excellent value.",
         "Since the holidays, my children have built with these blocks daily, so they were money well spent."),
        (P, "plain", "Great puzzle for family game night, with good quality pieces that fit snugly."),
        (P, "plain", "The plush bunny is soft and well stitched, and my toddler happily carries it everywhere."),
        (P, "plain", "Fun board game that's easy to learn and still interesting for adults."),
        (P, "plain", "The remote control car is fast and durable, and the battery lasts a long time. My son is thrilled."),
        (P, "plain", "Wonderful wooden train set. Sturdy pieces and endless creative play."),
        (P, "plain", "This science kit kept my nine year old busy and excited all weekend."),
        (P, "plain", "The dollhouse is beautifully made and easy to assemble. My daughter adores it."),
        (P, "plain", "Brilliant card game, quick rounds and lots of laughs."),
        (P, "plain", "Sturdy kite that flies easily even in a light wind. The kids loved it at the beach."),
        (P, "plain", "Perfect toy for a one year old, with bright colors and safe rounded edges."),
        (P, "plain", "The magnetic tiles are strong and colorful. Great for learning shapes."),
        (P, "plain", "Excellent art set with plenty of crayons, markers, and paper. A lovely gift."),
        (P, "plain", "My nephew loves this dinosaur figure set; the details are impressive."),
        (P, "plain", "The bath toys are cute and easy to clean, with no holes for mold to hide in."),
        (P, "plain", "Really enjoyable strategy game, and the components are high quality."),
        # plain, negative
        (N, "plain", "Broke within an hour of opening. The plastic is cheap and brittle."),
        (N, "plain", "Several puzzle pieces were missing, which ruined the whole thing.",
         "The puzzle arrived without a few of its pieces, so it couldn't be completed at all."),
        (N, "plain", "The doll's hair fell out after one bath. Very disappointed."),
        (N, "plain", "The toy drone crashed and broke on its first flight. Terrible."),
        (N, "plain", "Loud, annoying sounds with no volume control. We hid it after a day."),
        (N, "plain", "Paint chipped off the wooden blocks immediately. I'm worried about my baby chewing them."),
        (N, "plain", "The instructions are confusing and the pieces don't fit together properly. Frustrating."),
        (N, "plain", "Boring game; the rules are unclear and it's over in five minutes."),
        (N, "plain", "The slime kit made a sticky mess and stained our carpet. Awful."),
        (N, "plain", "Batteries died in a day, and the charging port snapped off. Poor design."),
        (N, "plain", "The stuffed animal had a nasty chemical smell. Returned it."),
        (N, "plain", "Way too small for the price, and it looks nothing like the box. Disappointing."),
        (N, "plain", "The water gun leaks from every seam. Useless and disappointing."),
        (N, "plain", "Wheels fell off the scooter after a week. Unsafe and poorly made."),
        # negation
        (P, "negation", "Not a single tear in this plush so far, even though my toddler drags it everywhere."),
        (P, "negation", "My kids haven't gotten bored of this game yet, and it's been three months."),
        (P, "negation", "I didn't think a wooden toy could hold a toddler's attention, but he never puts it down."),
        (N, "negation", "Not nearly as fun as the ads made it look, and my son never touched it again.",
         "The commercials made it look far more exciting than it is; my son played with it once and lost interest."),
        (N, "negation", "It isn't sturdy enough for young kids, and the small parts don't stay attached."),
        (N, "negation", "I wouldn't say this is educational; it's just lights and noise."),
        (N, "negation", "The puzzle doesn't have a picture guide and the pieces don't interlock well."),
        # mixed
        (P, "mixed", "Assembly was a nightmare and a sticker was crooked, but my twins play with this kitchen set for hours.",
         "Putting the play kitchen together was painful and one decal went on askew, yet my twins spend hours with it."),
        (P, "mixed", "Batteries aren't included and it's a bit loud, still the best birthday present we gave this year."),
        (P, "mixed", "The box was crushed in shipping, but every piece was intact and the game is a hit with our family."),
        (N, "mixed", "Cute design and nice colors, but the arm snapped off on day two. Not recommended."),
        (N, "mixed", "The kids enjoyed it at first, then the motor burned out after a week. Not buying again."),
        (N, "mixed", "Good idea for a learning toy, but the app it depends on is broken and full of ads."),
        # sarcasm
        (N, "sarcasm", "Great toy if your goal is to step on tiny sharp pieces at two in the morning.",
         "This toy is mostly good for leaving small, pointy pieces on the floor for you to tread on in the middle of the night."),
        (N, "sarcasm", "Oh perfect, a 'durable' truck that lost a wheel before we even got out of the parking lot."),
        (N, "sarcasm", "Thanks for the 'educational' tablet that taught my daughter how to find the ads in every game."),
        (P, "sarcasm", "Worst decision ever: my kids now refuse to come inside because of this trampoline."),
        # domain slang
        (P, "domain_slang", "The marble run is a certified banger, my kids are obsessed fr."),
        (N, "domain_slang", "Straight-up scam, the slime came dried out and crusty. Big L."),
    ],
    "garden": [
        # plain, positive
        (P, "plain", "This hose is lightweight, kink-free, and easily reaches the back fence. Very pleased."),
        (P, "plain", "The pruning shears are sharp and comfortable. Cutting roses has never been easier.",
         "These secateurs have keen blades and feel good in the hand, making rose pruning a breeze."),
        (P, "plain", "Great raised bed kit, sturdy wood and simple assembly. Our tomatoes are thriving."),
        (P, "plain", "The solar lights are bright and last all night. They make the path look lovely."),
        (P, "plain", "Excellent potting soil; my seedlings sprouted quickly and look healthy."),
        (P, "plain", "The cordless mower is quiet, light, and cuts evenly. I actually enjoy mowing now."),
        (P, "plain", "Beautiful ceramic planters with proper drainage holes. Perfect for herbs."),
        (P, "plain", "This compost bin is well designed and keeps pests out. Highly recommend."),
        (P, "plain", "Sturdy wheelbarrow that handles heavy loads of soil with ease."),
        (P, "plain", "The bird feeder is squirrel-proof as promised and the finches love it."),
        (P, "plain", "Lovely garden kneeler; it saves my knees and doubles as a seat."),
        (P, "plain", "The sprinkler covers the whole lawn evenly and is easy to adjust."),
        (P, "plain", "Great gloves, thick enough for thorns yet flexible enough for planting seeds."),
        (P, "plain", "Our hammock is comfortable and strong, perfect for lazy summer afternoons."),
        (P, "plain", "The seed starter tray works wonderfully. Nearly every seed germinated."),
        (P, "plain", "Reliable leaf blower with plenty of power. It cleared the yard in minutes."),
        # plain, negative
        (N, "plain", "The hose burst at the connector after a week. Poor quality."),
        (N, "plain", "These solar lights barely glow and die after an hour. Disappointing."),
        (N, "plain", "The shears rusted after one rainy night and now the blades stick."),
        (N, "plain", "The trellis snapped in a light breeze. Flimsy and useless."),
        (N, "plain", "Half of the seeds never sprouted. Money down the drain, sadly.",
         "Only about half the seed packet germinated, so I feel I threw my money away."),
        (N, "plain", "The lawn mower is heavy and loud, and the grass bag keeps falling off. Annoying."),
        (N, "plain", "The fertilizer burned my plants even though I followed the instructions exactly. Terrible."),
        (N, "plain", "Cheap plastic planter that cracked during the first frost."),
        (N, "plain", "The sprinkler head leaks more than it sprays. Frustrating product."),
        (N, "plain", "Weed killer did nothing to the dandelions but harmed my flowers. Awful."),
        (N, "plain", "The bird bath arrived chipped and the paint is already peeling. Poor quality control."),
        (N, "plain", "The hose reel jams constantly and the crank broke off."),
        (N, "plain", "Patio umbrella faded and tore within one summer. Poorly made."),
        (N, "plain", "The trimmer line keeps snapping and the battery dies quickly. I regret buying it."),
        # negation
        (P, "negation", "The hose hasn't kinked once, and I no longer dread watering the garden."),
        (P, "negation", "Not a single slug has made it past this copper tape. Finally!",
         "At last, the copper tape has kept every slug away from my plants."),
        (P, "negation", "I can't complain about these solar lights; they've never failed to come on."),
        (P, "negation", "Wasn't expecting much from a cheap trowel, but it hasn't bent even in clay soil."),
        (N, "negation", "Not sturdy at all. The greenhouse frame bent in the first strong wind."),
        (N, "negation", "The moss killer didn't kill any moss and I won't buy it again."),
        (N, "negation", "I wouldn't say these pots are frost proof, since two of them cracked in December."),
        # mixed
        (P, "mixed", "Assembly took all afternoon and one screw was missing, but the bench is solid and looks beautiful."),
        (P, "mixed", "A little pricey and heavy to move, but this fire pit is the best thing we've added to the garden."),
        (P, "mixed", "The motor is noisy, though it shreds branches quickly and saves us trips to the dump."),
        (N, "mixed", "The planter looks elegant, unfortunately it has no drainage and my herbs rotted.",
         "A stylish pot, but without any drainage holes the herbs I planted in it rotted away."),
        (N, "mixed", "Powerful pressure washer, but the hose connector leaked from day one and support didn't help."),
        (N, "mixed", "Great price and fast delivery, yet the netting tore as soon as we put it up."),
        # sarcasm
        (N, "sarcasm", "Brilliant weed barrier. The weeds grow right through it and seem to enjoy the extra warmth."),
        (N, "sarcasm", "Love my new 'rust-proof' garden chairs. They turned a lovely shade of orange in a month."),
        (N, "sarcasm", "Wow, a squirrel-proof feeder that the squirrels emptied on the first morning. Impressive engineering.",
         "The feeder is advertised as squirrel-proof, yet squirrels cleared it out on day one."),
        (P, "sarcasm", "Thanks a lot, these tomato cages worked so well that I now have more tomatoes than I can give away."),
        # domain slang
        (P, "domain_slang", "This mower is a beast. Cuts like a dream, no cap, and the lawn looks sick."),
        (N, "domain_slang", "Total rip-off. This hose reel is janky af and jams every single time."),
    ],
    "software": [
        # plain, positive
        (P, "plain", "This budgeting app finally got me organized. Clean interface and helpful reports."),
        (P, "plain", "The photo editor is powerful yet intuitive. Worth the subscription."),
        (P, "plain", "Great antivirus that runs quietly in the background with a light footprint."),
        (P, "plain", "The language learning app makes practice fun, and I'm actually improving."),
        (P, "plain", "Excellent note-taking software; it syncs instantly across my phone and computer."),
        (P, "plain", "Customer support solved my licensing issue within an hour. Impressed."),
        (P, "plain", "The video editor exports quickly and the templates are beautiful."),
        (P, "plain", "Simple, reliable password manager that I love. Setup took minutes and autofill works everywhere.",
         "This password manager is easy and dependable: it was ready in a few minutes and fills in logins on every site."),
        (P, "plain", "I love the new dark mode, and the update made everything faster."),
        (P, "plain", "This tax software walked me through every step clearly. Stress-free filing at last."),
        (P, "plain", "The project management tool has improved our team's communication enormously."),
        (P, "plain", "Fantastic backup software; restoring my files after a drive failure was effortless."),
        (P, "plain", "Very useful meditation app with calming voices and a great variety of sessions."),
        (P, "plain", "The PDF editor is fast and handles large files perfectly."),
        (P, "plain", "Wonderful drawing app, with responsive brushes and a smooth experience on my tablet stylus."),
        (P, "plain", "Reliable VPN with good speeds and easy server switching. Recommended."),
        # plain, negative
        (N, "plain", "The app crashes every time I try to upload a photo. Extremely frustrating.",
         "Whenever I attempt to add a picture, the application shuts down, which drives me up the wall."),
        (N, "plain", "Terrible update. Half the features disappeared and the interface is confusing."),
        (N, "plain", "Constant pop-ups pushing the premium plan. Annoying and intrusive."),
        (N, "plain", "The antivirus flagged my own documents as threats and deleted them. Awful."),
        (N, "plain", "Lost all my notes after a sync failed. I'm furious."),
        (N, "plain", "Painfully slow to load, and it drains my battery."),
        (N, "plain", "Cancelling the subscription was deliberately difficult. Shady business practices."),
        (N, "plain", "The accounting software is buggy and the reports are often wrong."),
        (N, "plain", "Poor customer service; they closed my ticket without fixing anything."),
        (N, "plain", "The game freezes on the loading screen and they refused my refund request."),
        (N, "plain", "The editing tools are clumsy and exports look blurry. Disappointed."),
        (N, "plain", "Login problems every week. I'm sick of resetting my password."),
        (N, "plain", "This fitness app kept charging me after I cancelled. Terrible company."),
        (N, "plain", "Buggy, bloated, and ugly. I uninstalled it after a day."),
        # negation
        (P, "negation", "Not once has this backup tool failed me in three years.",
         "For three years this backup program has worked every single time."),
        (P, "negation", "I didn't think I'd need the paid version, but I don't regret upgrading one bit."),
        (P, "negation", "No bugs, no ads, no nonsense. Exactly what a to-do app should be."),
        (P, "negation", "Honestly can't fault it. The move from my old calendar app went without a hitch."),
        (N, "negation", "Not user friendly at all, and the tutorial doesn't explain the basics."),
        (N, "negation", "I wouldn't trust this app with important files; it doesn't save reliably."),
        (N, "negation", "Doesn't work offline, despite the description claiming it does. Not happy."),
        (N, "negation", "The new version isn't an improvement; nothing loads and search no longer works."),
        # mixed
        (P, "mixed", "The interface looks dated and the learning curve is steep, but it's the most accurate transcription tool I've used."),
        (P, "mixed", "Occasional crashes are annoying, yet the features are so good that I'd still buy it again."),
        (P, "mixed", "Pricey subscription and a clunky onboarding, but it saves our small team hours every week.",
         "The plan costs a lot and getting started is awkward, yet our little team gains back hours each week."),
        (N, "mixed", "Beautiful design and nice ideas, but it loses data too often to be trusted."),
        (N, "mixed", "The free version was useful, then the update locked basic features behind a paywall. Uninstalled."),
        (N, "mixed", "Great concept, terrible execution: syncing is broken and support never answers."),
        # sarcasm
        (N, "sarcasm", "Fantastic update, now the app takes three minutes to open instead of two. Progress!",
         "After the latest update, the app needs three minutes to launch rather than two, so it has actually gotten worse."),
        (N, "sarcasm", "Love paying a monthly subscription for the privilege of watching a loading spinner."),
        (N, "sarcasm", "Great job on the redesign. I especially enjoy that every button moved somewhere I can't find it."),
        # domain slang
        (P, "domain_slang", "Dev team cooked with this update. Zero lag, UI is clean, straight W."),
        (P, "domain_slang", "Ngl this note app is goated, syncs instantly and the shortcuts are chef's kiss."),
        (N, "domain_slang", "The new build is janky af, FPS tanks every five minutes. Uninstall speedrun."),
    ],
    "travel": [
        # plain, positive
        (P, "plain", "This carry-on fits perfectly in overhead bins and the wheels glide smoothly. Love it."),
        (P, "plain", "The travel pillow is soft and supportive. I actually slept on a red-eye flight.",
         "Thanks to this cushy, supportive neck pillow, I managed to get some sleep on an overnight flight."),
        (P, "plain", "Great packing cubes, well made, and they keep my suitcase so organized."),
        (P, "plain", "The backpack is comfortable even when full, with plenty of smart pockets."),
        (P, "plain", "Excellent universal adapter that worked in every country we visited."),
        (P, "plain", "Lightweight rain jacket that packs into its own pocket. Perfect for travel."),
        (P, "plain", "The luggage scale is accurate and saved us from overweight fees. Great little gadget."),
        (P, "plain", "Sturdy hard-shell suitcase that survived three flights without a scratch. Impressed."),
        (P, "plain", "Lovely toiletry bag with a hook; it made tiny hotel bathrooms easy."),
        (P, "plain", "The neck wallet is slim and comfortable, and I felt secure in crowded markets."),
        (P, "plain", "Compression socks kept my legs from swelling on a long-haul flight. Very helpful."),
        (P, "plain", "The duffel bag is roomy, waterproof, and looks great. Highly recommend."),
        (P, "plain", "Fantastic travel umbrella, compact but strong in the wind."),
        (P, "plain", "The TSA lock is simple to set and very reliable. Good purchase."),
        (P, "plain", "Great eye mask; it blocks every bit of light and stays comfortable all night."),
        (P, "plain", "This hiking daypack is light and breathable, and it has a handy hydration sleeve. Great design."),
        # plain, negative
        (N, "plain", "A wheel snapped off on the first trip. Terrible quality luggage.",
         "One of the suitcase wheels broke off during its very first journey; the build quality is dreadful."),
        (N, "plain", "The zipper on this suitcase split open at the airport. Embarrassing and awful."),
        (N, "plain", "The adapter sparked when I plugged it in. Dangerous, avoid."),
        (N, "plain", "The backpack straps dig into my shoulders and the seams are already fraying."),
        (N, "plain", "The travel pillow is lumpy and gave me a stiff, painful neck."),
        (N, "plain", "The handle jams halfway and refuses to extend. Very frustrating."),
        (N, "plain", "Flimsy lock that popped open without the code. A useless, worrying waste of money."),
        (N, "plain", "The toiletry bottles leaked all over my clothes. Disappointed."),
        (N, "plain", "This 'waterproof' bag soaked through in light rain. Everything inside was ruined."),
        (N, "plain", "Horrible customer service when the suitcase arrived damaged."),
        (N, "plain", "The luggage tag broke off before we even reached the gate. Poor design."),
        (N, "plain", "Uncomfortable, heavy, and far smaller than described. Returning it."),
        (N, "plain", "The portable fan died on the second day of our trip. Awful, don't waste your money."),
        (N, "plain", "The fabric tore on the first trip and the lining ripped. Poorly made."),
        # negation
        (P, "negation", "Not a single thing broke over six weeks of backpacking through rough terrain."),
        (P, "negation", "I never had to worry about my passport thanks to this hidden pouch."),
        (P, "negation", "The suitcase isn't heavy at all, and it hasn't picked up a scratch yet."),
        (P, "negation", "Didn't disappoint. This sling bag held everything I needed for a day of sightseeing."),
        (N, "negation", "Not the lightweight bag it claims to be; my back ached after an hour."),
        (N, "negation", "I wouldn't call this suitcase durable, since the corner cracked on its first flight.",
         "The case split at one corner the first time it flew, so it is far from robust."),
        (N, "negation", "The charger doesn't work with European outlets, which was the whole point."),
        (N, "negation", "Not comfortable, not adjustable, and not something I'll take on another trip."),
        # mixed
        (P, "mixed", "The color scratches easily and the lock is fiddly, but this suitcase rolls beautifully and holds a ton."),
        (P, "mixed", "Bit heavier than I'd like, yet the backpack is so comfortable that I used it for a whole month in Asia.",
         "Though it weighs a little more than I'd want, the pack was comfortable enough to carry for an entire month across Asia."),
        (P, "mixed", "The instructions were in tiny print and the strap is short, but the travel hammock is excellent."),
        (N, "mixed", "Great organization pockets, but the main zipper failed within a week. Sending it back."),
        (N, "mixed", "Looks sleek and feels light, but a wheel wobbles and it tips over constantly."),
        (N, "mixed", "The pillow is soft at first, but it goes flat within an hour and won't reinflate properly."),
        # sarcasm
        (N, "sarcasm", "Wonderful 'carry-on size' suitcase. The gate agent and I had a lovely chat about checked bag fees."),
        (N, "sarcasm", "Nothing says relaxing vacation like a backpack strap snapping in the middle of the airport."),
        (N, "sarcasm", "Great neck pillow if you enjoy waking up with your chin on your chest and a crick in your neck."),
        (P, "sarcasm", "Big problem with this suitcase: it's so light that I keep packing more souvenirs."),
        # domain slang
        (P, "domain_slang", "This backpack is elite. Fit two weeks of gear, comfy af, absolute W for carry-on only travel."),
        (N, "domain_slang", "Suitcase was DOA, handle snapped in the first five minutes. Big yikes.",
         "The suitcase was broken on arrival, and its handle came off within minutes."),
    ],
}

# ---------------------------------------------------------------------------
# 2. Web-crawl documents that are NOT leaks.
# ---------------------------------------------------------------------------

# Hard negatives: product reviews about the same kinds of products as the
# benchmark, but not copied from it. A good contamination detector must not
# flag these.
HARD_NEGATIVE_REVIEWS = [
    # electronics
    "These wireless earbuds pair instantly and the audio is clear, though the charging case feels a little cheap. Four stars.",
    "Our new TV remote stopped responding after a month, and fresh batteries made no difference.",
    "Decent budget phone. The camera is average but the battery easily gets me through two days.",
    "The gaming headset is comfortable for long sessions and my teammates say my voice comes through clearly.",
    "Returned the smart thermostat; it kept losing Wi-Fi and the heating came on at random times.",
    # kitchen
    "This air fryer is bigger than I expected but cooks chicken wings evenly. The basket is dishwasher safe, which is a plus.",
    "The ceramic pan was great for a month, then eggs started sticking no matter how much butter I used.",
    "Solid espresso tamper, heavy and well balanced. Made a noticeable difference to my shots.",
    "The knife block looks nice but the slots are too narrow for my chef's knife.",
    "Good cheap kettle for the office. Boils quickly, a bit noisy, does the job.",
    # books
    "A slow-burn literary novel about two sisters. Not much happens, but the writing is gorgeous.",
    "The sequel doesn't live up to the first book: too many new characters and not enough plot.",
    "Bought this cookbook for the bread chapter and it has been worth it for that alone.",
    "Helpful beginner's guide to birdwatching with good illustrations, though the range maps are out of date.",
    "My book club loved this one. It sparked the longest discussion we've had all year.",
    # clothing
    "These rain boots are comfortable and keep my feet dry, but they run about half a size big.",
    "The linen shirt wrinkles if you look at it, which I suppose is just linen. Nice color though.",
    "Ordered a fleece for hiking and it's warm, light, and dries fast. Very happy with it.",
    "The swimsuit lost its elasticity after a few weeks in a chlorinated pool. Won't buy again.",
    "Great work trousers with a stretchy waist; I wear them to the office three days a week.",
    # toys
    "Bought this building set for my niece and she finished it in one afternoon. Wish it had more pieces.",
    "The balance bike helped my son learn to ride in about two weeks. Light and easy to carry.",
    "Our puppy destroyed this supposedly indestructible chew toy in an hour.",
    "Cute wooden play food set; the pieces held together with velcro that you 'cut' with the toy knife are a big hit.",
    "The jigsaw image was printed slightly off-center so the edge pieces look odd, but it was still fun.",
    # garden
    "Used this hose nozzle all summer and it still works well, though the trigger is stiff.",
    "The tomato cages are a bit short for tall varieties, but they're fine for peppers.",
    "Cordless hedge trimmer with decent battery life. It cuts cleanly through thin branches.",
    "The bulbs I ordered arrived moldy and only a few came up in spring.",
    "Lovely set of terracotta pots. One arrived cracked, but the seller sent a replacement quickly.",
    # software
    "The habit tracker app is simple and motivating, but the home screen widgets don't update reliably.",
    "Switched to this email client last year and the search alone has saved me so much time.",
    "The photo backup app keeps asking me to log in again every few days. Annoying.",
    "Great spreadsheet templates, although the mobile version is hard to use on a small screen.",
    "The free tier of this music app has so many ads that I gave up on it.",
    # travel
    "This underseat bag is perfect for budget airlines. It fits under the seat with room to spare.",
    "The packing cubes are okay but the zippers feel fragile; one already sticks.",
    "Good travel adapter with two USB ports, though it's heavier than my old one.",
    "The hip belt on this hiking backpack made a huge difference on a long trek through the Alps.",
    "Bought a money belt for our trip and barely used it; too sweaty under clothes in summer.",
]

# Ordinary web text, grouped by genre only for readability (the genre is not
# written to the CSV).
WEB_TEXTS = {
    "forum": [
        "Anyone else having trouble with the latest router firmware? Since Tuesday my connection drops every evening around 8pm. Already tried a factory reset, no luck.",
        "Quick question for the sourdough folks: my starter smells like nail polish remover after a week. Is it dead or just hungry?",
        "Thread: best budget mechanical keyboard under $60? I mostly type code and want something quieter than blue switches.",
        "Update: I called the airline and they rebooked me on the next morning flight at no cost. Posting in case someone else hits the same issue.",
        "Has anyone grown blueberries in containers? My soil test says pH 6.8 and I'm wondering whether to add sulfur or just use ericaceous compost.",
        "PSA: if your dishwasher leaves white spots on glasses, check the rinse aid setting before buying a new machine. Fixed mine in two minutes.",
        "Looking for book recommendations similar to long family sagas set in the early 1900s. Already read the obvious ones, open to translations.",
        "Re: laptop fan noise. Cleaning the vents with compressed air helped a lot, and I also switched the power plan to balanced.",
        "First time posting here. We're planning a three day hike next month and I can't decide whether to bring a tent or a hammock. Thoughts?",
        "My cat has decided the cardboard box the cat tree came in is more interesting than the cat tree. Classic.",
        "Does anyone know if the city recycling program takes black plastic trays now? The website still says no but my neighbor insists it changed.",
        "Rookie mistake: I washed a red sock with my white work shirts. Any tips for getting the pink out?",
        "Just finished my first quilt! It took eight months and it's far from perfect, but I'm proud of it.",
        "Can someone explain the difference between a hybrid and an all-season tire? The shop gave me three options and I'm lost.",
        "Has anybody tried learning Portuguese with podcasts only? I have a long commute and would like to use the time.",
        "Tip for parents: rotating toys every couple of weeks keeps them feeling new. We keep half of ours in a box in the closet.",
        "What's the etiquette for reclining your seat on a short daytime flight? Genuinely curious how people feel about it.",
        "Finally got my tomato seedlings to stop getting leggy by moving the grow light closer. Two inches made all the difference.",
        "I'm building a small shelf for the hallway. Pine or plywood? It only needs to hold keys and mail.",
        "Anyone going to the regional board game convention this spring? Looking for people to split a hotel room.",
        "My phone said storage was full but I only have a few apps. Turns out it was years of cached message attachments. Check your settings, people.",
        "Has anyone else noticed their electricity bill jump this winter? Trying to work out whether it's the space heater or the new rates.",
        "Help: the hinge on my kitchen cabinet door keeps coming loose. The screw holes seem stripped. What's the best fix?",
        "Moving to a new city next month and I've never used a moving company before. Is it worth paying for packing services?",
        "For anyone asking about the running club, we meet Saturdays at 7am by the river bridge. All paces welcome.",
    ],
    "product_description": [
        "Stainless steel water bottle, 750 ml. Double-wall vacuum insulation keeps drinks cold for 24 hours or hot for 12. Leak-proof lid, BPA-free.",
        "Wireless optical mouse with adjustable DPI (800/1200/1600), silent click buttons and a 2.4 GHz nano receiver. Requires one AA battery (not included).",
        "Organic cotton crew neck t-shirt. Regular fit, pre-shrunk fabric, available in eight colors. Machine wash cold, tumble dry low.",
        "Set of six terracotta plant pots with saucers, diameters from 8 to 18 cm. Each pot has a drainage hole. Suitable for indoor and outdoor use.",
        "Hardcover notebook, A5, 192 pages of dotted paper (100 gsm). Lay-flat binding, elastic closure, ribbon bookmark and back pocket.",
        "Expandable spinner suitcase, 68 cm. Polycarbonate shell, four 360-degree wheels, integrated TSA-approved lock and 15% extra capacity when expanded.",
        "Wooden stacking rainbow, 7 pieces, painted with water-based, non-toxic colors. Recommended for ages 12 months and up.",
        "Digital kitchen scale with tare function, 1 g precision up to 5 kg. Tempered glass platform, auto shut-off, batteries included.",
        "Annual subscription: 1 TB of cloud storage, automatic photo backup, 30 days of file version history and password-protected sharing links.",
        "Garden kneeler and seat with a foldable steel frame and thick EVA foam pad. Supports up to 150 kg. Side pockets for small tools.",
        "Bluetooth 5.3 portable speaker, IPX7 waterproof, up to 20 hours of playback, USB-C charging and a built-in microphone for calls.",
        "Merino wool hiking socks with cushioned sole and reinforced heel and toe. Naturally odor resistant. Sizes S to XL.",
        "Enameled cast iron Dutch oven, 5.5 quarts. Oven safe to 260 C. Compatible with gas, electric, ceramic and induction cooktops.",
        "Paperback, 320 pages. A practical introduction to household budgeting with worksheets, sample plans and a glossary of financial terms.",
        "Magnetic building tiles, 60-piece set including squares, triangles and two wheel bases. Storage bag included. Ages 3+.",
        "Compact travel adapter for 150+ countries with two USB-A ports and one USB-C port. Built-in fuse protection. Not a voltage converter.",
        "Drip irrigation kit for raised beds: 15 m of tubing, 30 adjustable drippers, connectors and stakes. Connects to a standard garden tap.",
        "Over-ear noise-cancelling headphones with 30-hour battery, fold-flat design, hard carrying case and 3.5 mm cable for wired listening.",
        "Men's waterproof shell jacket with taped seams, adjustable hood and pit zips. Packs into its chest pocket. Weight 310 g.",
        "Bamboo cutting board set of three (small, medium, large) with juice grooves. Hand wash only; oil occasionally to maintain the finish.",
        "Photo editing software for Windows and macOS. One-time purchase, includes RAW support, layers, masking tools and free minor updates.",
        "Cooperative board game for 2 to 4 players, ages 10+, about 45 minutes per game. Includes 120 cards, 4 player boards and a rulebook.",
        "Solar-powered LED path lights, pack of 8. Warm white, automatic dusk-to-dawn sensor, up to 8 hours of light on a full charge.",
        "Packable daypack, 20 L, ripstop nylon, two side pockets and a zipped front pocket. Folds into its own inner pocket.",
        "Large print edition of a classic detective novel, with an introduction by the translator and notes on the historical setting.",
    ],
    "news": [
        "The city council approved a plan on Monday to extend the riverside cycle path by four kilometres, with construction expected to begin next spring.",
        "Local libraries will stay open until 8pm on weekdays from next month, after a survey in which residents asked for more evening hours.",
        "The regional weather service warned of strong winds across coastal areas overnight, advising residents to secure garden furniture and trampolines.",
        "Researchers at a university agriculture station reported that mixed cover crops improved soil moisture in a three-year field trial.",
        "The annual book fair drew more than twelve thousand visitors over the weekend, organizers said, with children's titles among the best sellers.",
        "Several airlines announced changes to cabin baggage rules this week, with some routes now limiting passengers to one small bag under the seat.",
        "A consumer safety agency issued a recall for a batch of electric kettles after reports that the base could overheat.",
        "Train services between the two cities will be replaced by buses for three weekends in June while engineers upgrade signalling equipment.",
        "The town's community garden is looking for volunteers to help build new raised beds ahead of the summer growing season.",
        "A software company said it had fixed a security flaw affecting older versions of its note-taking app and urged users to update.",
        "Retail figures released on Thursday showed online sales of kitchen appliances rose slightly in the last quarter, while clothing sales fell.",
        "The museum's new exhibition on the history of board games opens on Saturday and runs until the end of October.",
        "Officials reminded travellers that passports must be valid for at least six months for entry to several countries in the region.",
        "A heatwave is expected to bring temperatures above 35 degrees later this week; gardeners are advised to water early in the morning.",
        "The school district announced that every secondary student will receive a laptop for the coming academic year.",
        "A toy manufacturer said it would phase out single-use plastic packaging across its product range by 2027.",
        "Volunteers planted more than three hundred trees along the northern ring road on Sunday as part of a city greening program.",
        "The regional airport reported its busiest month on record, with passenger numbers up fifteen percent compared with last year.",
        "A popular photo-sharing app went offline for several hours on Tuesday evening; the company blamed a configuration error.",
        "Farmers' market organizers say the Saturday market will move indoors to the old train shed for the winter months.",
        "The national statistics office reported that households are spending more on repairs and second-hand goods than five years ago.",
        "A new ferry route connecting the two islands will begin operating in May, with four crossings a day during the summer.",
        "Marathon organizers said road closures will be in place from 6am to 2pm on Sunday, and recommended that residents plan journeys in advance.",
        "Public health officials are encouraging people to test their smoke alarms when the clocks change this weekend.",
        "The city's largest bookshop will close for renovation in January and reopen in spring with a cafe and an event space.",
    ],
    "recipe": [
        "Quick tomato soup: soften an onion in olive oil, add two cans of tomatoes, a pinch of sugar and 500 ml of stock, simmer for 20 minutes, then blend until smooth.",
        "For fluffy pancakes, whisk 200 g flour, 2 tsp baking powder, a pinch of salt, 1 egg and 250 ml milk. Rest the batter for ten minutes before cooking.",
        "Overnight oats: combine half a cup of oats, half a cup of milk, a spoonful of yogurt and some berries in a jar. Refrigerate overnight and eat cold.",
        "Roast chickpeas at 200 C for 25 minutes with olive oil, smoked paprika and salt. Shake the tray halfway through so they crisp evenly.",
        "Simple vinaigrette: three parts olive oil to one part vinegar, a teaspoon of mustard, salt and pepper. Shake in a jar until emulsified.",
        "To make a basic risotto, toast the rice in butter, add a splash of white wine, then ladle in hot stock a little at a time, stirring until creamy, about 18 minutes.",
        "Banana bread: mash three ripe bananas, mix with 75 g melted butter, 150 g sugar, one egg, 190 g flour and a teaspoon of baking soda. Bake at 175 C for an hour.",
        "Guacamole: mash two avocados with lime juice, finely chopped red onion, coriander, a little chili and salt. Serve immediately.",
        "Lentil dal: rinse 200 g red lentils and simmer with turmeric and water until soft, then stir in cumin seeds, garlic and chili fried in oil.",
        "For crisp roast potatoes, parboil for eight minutes, shake in the pan to rough up the edges, then roast in hot oil at 220 C for 45 minutes.",
        "Easy flatbreads: mix 250 g flour, 150 g yogurt and a pinch of salt, knead briefly, divide into six, roll thin and cook in a dry pan for a minute per side.",
        "Iced coffee at home: brew coffee at double strength, let it cool, pour it over a glass full of ice and add milk to taste.",
        "Stir-fried greens: heat oil until shimmering, add sliced garlic, then the greens and a splash of soy sauce. Cook for two minutes so they stay bright.",
        "Granola: toss 300 g oats with chopped nuts, two tablespoons of honey, oil and cinnamon. Bake at 160 C for 25 minutes, stirring once, and cool on the tray.",
        "Shakshuka: simmer peppers, onion and tomatoes with cumin and paprika, make small wells, crack in the eggs, cover and cook until the whites are set.",
        "Lemon drizzle: while the cake is still warm, poke holes in it with a skewer and pour over a syrup of lemon juice and sugar.",
        "Classic hummus: blend cooked chickpeas with tahini, lemon juice, garlic and a little ice water until very smooth. Finish with olive oil.",
        "Slow cooker chili: brown the mince, then add beans, chopped tomatoes, onion, garlic and spices. Cook on low for eight hours.",
        "Quick pickled onions: slice a red onion thinly, cover with equal parts vinegar and hot water, add sugar and salt, and leave for 30 minutes.",
        "Herb butter: mash soft butter with chopped parsley, chives and a little garlic, roll into a log in baking paper and chill until firm.",
    ],
    "travel_tip": [
        "Pack a small power strip when travelling: hotel rooms often have only one free socket, and with one adapter you can then charge everything.",
        "Download offline maps before you leave home. Mobile data abroad can be expensive, and the maps still work with GPS alone.",
        "Rolling clothes instead of folding them saves space and reduces creases, especially for t-shirts and casual trousers.",
        "Keep a photo of your passport and your travel insurance details in your email so you can reach them if your bag is lost.",
        "On long flights, walk the aisle every couple of hours and drink plenty of water to reduce stiffness and swelling.",
        "Many museums offer free entry on the first Sunday of the month; check their official websites before planning your itinerary.",
        "Weigh your luggage at home. Airline fees for overweight bags are often higher than the cost of a small luggage scale.",
        "When visiting hot cities in summer, plan outdoor sightseeing for the early morning and save museums for the afternoon heat.",
        "Tell your bank about your travel dates so your card isn't blocked for unusual activity abroad.",
        "Bring a reusable water bottle and fill it after airport security. Many terminals now have free refill stations.",
        "Learn a few words of the local language, like hello, please and thank you. People generally appreciate the effort.",
        "On overnight trains, book a lower berth if you can; it's easier to reach your luggage and you won't need to climb.",
        "Leave a little space in your suitcase for the return trip. Souvenirs have a way of multiplying.",
        "Check whether your destination requires an electronic travel authorization; some must be approved days before departure.",
        "Carry a small bag of essentials in your hand luggage: medication, a charger, a toothbrush and a change of clothes.",
        "Public transport passes for tourists often pay for themselves within two days, and some include museum discounts.",
        "If you're prone to jet lag, get outside in daylight on your first morning to help reset your body clock.",
        "Book popular mountain huts months ahead in summer; many fill up as soon as reservations open.",
        "Use a separate pouch for cables and chargers so you don't leave them behind in hotel rooms.",
        "Check the local tipping customs before you go. In some countries service is included; in others ten percent is expected.",
    ],
    "notice_or_howto": [
        "How to descale a kettle: fill it halfway with equal parts water and white vinegar, boil, leave for an hour, then rinse thoroughly and boil fresh water twice.",
        "Our returns policy: unused items can be returned within 30 days of delivery for a full refund. Please keep the original packaging and receipt.",
        "Frequently asked questions: shipping usually takes 3 to 5 business days. You will receive a tracking number by email once your order leaves our warehouse.",
        "To reset the device, hold the power button for ten seconds until the light flashes blue, then release it and wait for the device to restart.",
        "Winter gardening checklist: clean and oil your tools, move tender pots into shelter, mulch perennials and plan next year's vegetable beds.",
        "Book club guide, chapter 4: discuss how the narrator's memories change over the novel and whether you trust her account of the fire.",
        "This week on the blog: I tested five ways to store fresh herbs. Wrapping them in a damp paper towel in the fridge worked best by far.",
        "Sizing guide: measure around the fullest part of your chest and compare it with the chart below. If you are between sizes, choose the larger one.",
        "Release notes, version 2.4: added dark mode, improved sync speed, and fixed an issue where attachments could not be opened on some devices.",
        "Safety information: do not leave children unattended while the toy is in use. Contains small parts; not suitable for children under three.",
        "Care instructions: wash inside out at 30 degrees, do not bleach, reshape while damp and dry flat away from direct heat.",
        "Our shop will be closed on public holidays. Orders placed during this time will be processed on the next working day.",
        "Warranty terms: this product is covered for two years against manufacturing defects. Damage caused by misuse or accidents is not included.",
        "How to choose a sleeping bag: look at the comfort rating rather than the extreme rating, and decide whether weight or warmth matters more.",
        "Privacy notice: we collect only the information needed to process your order and never sell your personal data to third parties.",
        "A beginner's guide to composting: mix green materials like vegetable scraps with brown materials like dry leaves, keep the pile moist, and turn it every few weeks.",
        "The library's e-book collection can be accessed with your card number and PIN. Loans last 21 days and renew automatically if nobody is waiting.",
        "Troubleshooting: if the printer shows as offline, restart the router and the printer, then check that both are on the same wireless network.",
        "Newsletter: this month we're celebrating ten years of our neighborhood repair cafe, where volunteers have fixed more than two thousand items.",
        "Job posting: part-time sales assistant needed for a busy garden centre. Weekend availability essential; plant knowledge an advantage.",
        "Event listing: family craft afternoon at the community hall, Saturday 2pm to 4pm. All materials provided, suggested donation of two pounds.",
        "Course description: an introduction to data analysis covering spreadsheets, basic statistics and simple charts. No prior experience required.",
        "Terms of service update: from next month, accounts that have been inactive for two years may be deleted after an email warning.",
        "How to measure for curtains: measure the width of the rail and multiply by one and a half to two for a full, gathered look.",
        "Parenting column: screen time rules work best when the whole family follows them, including the adults.",
    ],
}

# ---------------------------------------------------------------------------
# 3. Near-duplicate edits (small, meaning-preserving surface changes).
# ---------------------------------------------------------------------------
SYNONYMS = {
    "great": "excellent", "excellent": "great", "very": "really", "bought": "purchased",
    "terrible": "awful", "awful": "terrible", "horrible": "dreadful", "disappointing": "underwhelming",
    "kids": "children", "easy": "simple", "simple": "easy", "quickly": "fast", "quick": "fast",
    "happy": "pleased", "pleased": "happy", "love": "like", "loved": "liked",
    "loves": "likes", "broke": "snapped", "returned": "sent back", "comfortable": "comfy",
    "perfect": "ideal", "frustrating": "annoying", "annoying": "irritating", "beautiful": "gorgeous",
    "lovely": "nice", "nice": "lovely", "sturdy": "solid", "useless": "pointless",
    "cheap": "low-quality", "wonderful": "fantastic", "fantastic": "wonderful", "amazing": "incredible",
    "ruined": "wrecked", "huge": "big", "strong": "powerful", "worried": "concerned",
}
PREFIXES = ["Review: ", "Customer review - ", "Verified purchase: ", "[review] ", "From a buyer: "]
SUFFIXES = {P: [" 5 stars", " 5/5", " (5 stars)", " Rating: 5 out of 5."],
            N: [" 1 star", " 1/5", " (1 star)", " Rating: 1 out of 5."]}


def _match_case(word: str, template: str) -> str:
    return word[0].upper() + word[1:] if template[0].isupper() else word


def swap_synonyms(text: str, rng: random.Random, max_swaps: int) -> str:
    words = list(re.finditer(r"[A-Za-z]+", text))
    candidates = [m for m in words if m.group(0).lower() in SYNONYMS]
    if not candidates:
        return text
    chosen = rng.sample(candidates, min(max_swaps, len(candidates)))
    for m in sorted(chosen, key=lambda m: m.start(), reverse=True):
        new = _match_case(SYNONYMS[m.group(0).lower()], m.group(0))
        head = text[: m.start()]
        article = re.search(r"\b([Aa]n?) $", head)  # keep "a"/"an" grammatical
        if article:
            fixed = article.group(1)[0] + ("n" if new[0].lower() in "aeiou" else "")
            head = head[: article.start(1)] + fixed + " "
        text = head + new + text[m.end():]
    return text


def near_duplicate(text: str, label: int, rng: random.Random) -> str:
    """Apply a synonym swap plus one or two other surface edits."""
    out = swap_synonyms(text, rng, max_swaps=rng.choice([1, 2]))
    chosen = set(rng.sample(["punctuation", "apostrophes", "lowercase", "prefix", "suffix"], rng.choice([1, 2])))
    # Edits inside the review text first, then casing, then text added around it.
    if "punctuation" in chosen:  # join two sentences with a comma, or drop the final stop
        m = re.search(r"[.;!] ([A-Z])(?!\b)", out)
        if m:
            out = out[: m.start()] + ", " + m.group(1).lower() + out[m.end():]
        else:
            out = out.rstrip(".")
    if "apostrophes" in chosen:  # "doesn't" -> "doesnt", or add emphasis
        out = out.replace("'", "") if "'" in out else out.rstrip(".!") + "!!"
    if "lowercase" in chosen:
        out = out.lower()
    if "prefix" in chosen:
        out = rng.choice(PREFIXES) + out
    if "suffix" in chosen:
        out = out + rng.choice(SUFFIXES[label])
    if out == text:  # guarantee at least one visible change
        out = rng.choice(PREFIXES) + out
    return out


# ---------------------------------------------------------------------------
# 4. Assembly.
# ---------------------------------------------------------------------------
def flatten_reviews() -> list[dict]:
    rows = []
    for category, entries in REVIEWS.items():
        for entry in entries:
            label, phenomenon, text = entry[:3]
            paraphrase = entry[3] if len(entry) > 3 else None
            rows.append({"text": text, "label": label, "category": category,
                         "phenomenon": phenomenon, "paraphrase": paraphrase})
    return rows


def split_reviews(rows: list[dict], rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Stratified 200/200 split by (label, phenomenon); paraphrase sources go to test."""
    train, test = [], []
    for label in (P, N):
        strata = {ph: [r for r in rows if r["label"] == label and r["phenomenon"] == ph] for ph in PHENOMENA}
        n_test = {ph: len(items) // 2 for ph, items in strata.items()}
        odd = [ph for ph, items in strata.items() if len(items) % 2]
        for ph in odd[: 100 - sum(n_test.values())]:
            n_test[ph] += 1
        for ph, items in strata.items():
            items = items[:]
            rng.shuffle(items)
            forced = [r for r in items if r["paraphrase"]]
            others = [r for r in items if not r["paraphrase"]]
            k = n_test[ph] - len(forced)
            assert k >= 0, f"too many paraphrase sources in stratum {label}/{ph}"
            test += forced + others[:k]
            train += others[k:]
    rng.shuffle(train)
    rng.shuffle(test)
    return train, test


def build() -> tuple[list[dict], list[dict]]:
    rng = random.Random(SEED)
    train, test = split_reviews(flatten_reviews(), rng)
    reviews = train + test
    for i, r in enumerate(reviews, start=1):
        r["review_id"] = f"r{i:04d}"

    # Leaks: all 40 paraphrase sources, then 40 near and 40 exact sources drawn
    # from the remaining test reviews. Each source is leaked at most once.
    para_src = [r for r in test if r["paraphrase"]]
    remaining = [r for r in test if not r["paraphrase"]]
    drawn = rng.sample(remaining, 80)
    near_src, exact_src = drawn[:40], drawn[40:]

    docs = []
    docs += [{"text": r["text"], "leak_type": "exact", "source_review_id": r["review_id"]} for r in exact_src]
    docs += [{"text": near_duplicate(r["text"], r["label"], rng), "leak_type": "near",
              "source_review_id": r["review_id"]} for r in near_src]
    docs += [{"text": r["paraphrase"], "leak_type": "paraphrase", "source_review_id": r["review_id"]}
             for r in para_src]
    docs += [{"text": t, "leak_type": "none", "source_review_id": ""} for t in HARD_NEGATIVE_REVIEWS]
    for genre_texts in WEB_TEXTS.values():
        docs += [{"text": t, "leak_type": "none", "source_review_id": ""} for t in genre_texts]
    rng.shuffle(docs)
    for i, d in enumerate(docs, start=1):
        d["doc_id"] = f"w{i:04d}"
    return reviews, docs


def check(reviews: list[dict], docs: list[dict]) -> None:
    assert len(reviews) == 400 and len(docs) == 300
    assert Counter(r["label"] for r in reviews) == {P: 200, N: 200}
    assert {r["category"] for r in reviews} == set(CATEGORIES)
    assert {r["phenomenon"] for r in reviews} == set(PHENOMENA)
    texts = [r["text"] for r in reviews]
    assert len(set(texts)) == 400, "duplicate review text"
    assert len({t.lower() for t in texts}) == 400
    for r in reviews:
        n = len(r["text"].split())
        assert 8 <= n <= 35, (n, r["text"])
    for split, ids in (("train", range(1, 201)), ("test", range(201, 401))):
        part = [r for r in reviews if int(r["review_id"][1:]) in ids]
        assert Counter(r["label"] for r in part) == {P: 100, N: 100}, split
    by_id = {r["review_id"]: r for r in reviews}
    assert Counter(d["leak_type"] for d in docs) == {"none": 180, "exact": 40, "near": 40, "paraphrase": 40}
    sources = [d["source_review_id"] for d in docs if d["leak_type"] != "none"]
    assert len(sources) == len(set(sources)) == 120
    for d in docs:
        src = d["source_review_id"]
        if d["leak_type"] == "none":
            assert src == ""
            assert d["text"] not in texts
            continue
        assert 201 <= int(src[1:]) <= 400
        if d["leak_type"] == "exact":
            assert d["text"] == by_id[src]["text"]
        else:
            assert d["text"] != by_id[src]["text"]
    assert len({d["text"] for d in docs}) == 300, "duplicate crawl text"
    for t in texts + [d["text"] for d in docs]:
        assert t.isascii() and t == t.strip() and "\n" not in t and '"' not in t, t


def write_csv(path: Path, fieldnames: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fieldnames, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    reviews, docs = build()
    check(reviews, docs)
    write_csv(REVIEWS_CSV, ["review_id", "text", "label", "category", "phenomenon"], reviews)
    write_csv(CRAWL_CSV, ["doc_id", "text", "leak_type", "source_review_id"], docs)
    print(f"wrote {REVIEWS_CSV.name}: {len(reviews)} rows; label {dict(Counter(r['label'] for r in reviews))}; "
          f"phenomenon {dict(Counter(r['phenomenon'] for r in reviews))}")
    print(f"wrote {CRAWL_CSV.name}: {len(docs)} rows; leak_type {dict(Counter(d['leak_type'] for d in docs))}")


if __name__ == "__main__":
    main()
