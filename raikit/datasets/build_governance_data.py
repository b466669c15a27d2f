"""Build the data of Module 12 ("Governance capstone").

Running ``python build_governance_data.py`` (from any directory) writes, next to this file:

``governance_systems.csv``
    30 short descriptions of AI systems, written by the course kit's authors, each with
    structured attributes (who deploys it, where, what it does to people, whether it talks
    to people or generates content...) and an *expert tier* under the EU AI Act
    (Regulation (EU) 2024/1689): ``prohibited``, ``high``, ``limited`` or ``minimal``, with
    the legal basis and a short justification. The attribute vocabulary is documented in
    ``raikit.governance.SYSTEM_ATTRIBUTES``.

``governance_controls.csv``
    28 risk-management controls, each mapped by the kit's authors to one function of the
    NIST AI Risk Management Framework 1.0 (govern, map, measure, manage), with a second
    acceptable function where the mapping is genuinely ambiguous, the AI RMF subcategory
    it serves, and the reason. 8 controls (``split == "lesson"``) are worked examples in the
    lesson; 20 (``split == "assignment"``) are mapped by learners in the assignment.

Everything is a literal below: no randomness, so re-running reproduces the CSV files byte
for byte. The script checks its own data (vocabularies, unique ids, tier counts, that
every control's answers are functions) before writing anything.

**Not legal advice.** The tiers are the kit authors' reading of the Regulation (OJ L, 2024/1689,
as amended by the Digital Omnibus on AI), simplified for teaching; dates come from the kit's dated
legal facts (``legal_facts.json``, read through ``raikit.legal``): real classification depends on the full
intended purpose, the exceptions and derogations in the text, guidelines of the
Commission, national law, and courts. The datasheets say where the simplification bites.

Licence: the texts and CSVs are kit-written data under CC BY 4.0; the code is MIT, like the
rest of the kit's code. See ``governance_systems.datasheet.md`` and
``governance_controls.datasheet.md``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from raikit import legal  # the kit's dated legal facts (legal_facts.json); raikit is installed by `make setup`

HERE = Path(__file__).resolve().parent
ANNEX_I_FROM = legal.long_date("ai_act.annex_i_high_risk")
FACTS_AS_OF = legal.long_date(legal.as_of())

# Vocabularies (kept in step with raikit.governance; the script checks the data against them).
TIERS = ("prohibited", "high", "limited", "minimal")
DEPLOYERS = ("company", "public_authority", "law_enforcement", "individual")
SETTINGS = ("online", "workplace", "education", "public_space", "border", "court", "healthcare",
            "infrastructure", "home")
PRACTICES = ("none", "manipulation", "exploits_vulnerabilities", "social_scoring", "crime_prediction_profiling",
             "face_scraping", "sensitive_biometric_categorisation", "emotion_recognition",
             "remote_biometric_identification", "biometric_verification")
AREAS = ("none", "biometrics", "critical_infrastructure", "education", "employment", "essential_services",
         "law_enforcement", "migration", "justice_democracy")
ROLES = ("decides", "recommends", "assists", "none")
FUNCTIONS = ("govern", "map", "measure", "manage")

SYSTEM_COLUMNS = ["system_id", "name", "description", "sector", "affected", "deployer", "setting", "practice",
                  "realtime", "annex_iii_area", "annex_i_product", "decision_role", "profiles_people",
                  "interacts_with_people", "generates_synthetic_content", "tier", "transparency_obligation",
                  "legal_basis", "justification"]


def _system(name, description, sector, affected, deployer, setting, practice, area, role, *, profiles,
            interacts=False, generates=False, realtime=False, annex_i=False, tier, transparency=False,
            basis, why):
    return {"name": name, "description": description, "sector": sector, "affected": affected,
            "deployer": deployer, "setting": setting, "practice": practice, "realtime": realtime,
            "annex_iii_area": area, "annex_i_product": annex_i, "decision_role": role,
            "profiles_people": profiles, "interacts_with_people": interacts,
            "generates_synthetic_content": generates, "tier": tier, "transparency_obligation": transparency,
            "legal_basis": basis, "justification": why}


SYSTEMS = [
    # ------------------------------------------------------------------ employment (Annex III 4)
    _system("CV ranker",
            "Ranks the CVs sent for an advertised job and shows the recruiter the top 20 applicants to invite "
            "for an interview.",
            "human resources", "job applicants", "company", "online", "none", "employment", "recommends",
            profiles=True, tier="high", basis="Art. 6(2), Annex III 4(a)",
            why="Annex III 4(a) lists systems used to analyse and filter job applications and to evaluate "
                "candidates. The ranking decides who a human ever looks at, so it materially influences the "
                "outcome, and it profiles applicants, so the Art. 6(3) derogation cannot apply."),
    _system("Application completeness check",
            "Checks whether each job application contains the documents the advert asks for (CV, diploma, "
            "work permit) and lists what is missing. It does not score, rank or reject anyone.",
            "human resources", "job applicants", "company", "online", "none", "employment", "assists",
            profiles=False, tier="minimal", basis="Art. 6(3)(a); Art. 6(4); Art. 49(2)",
            why="An employment system, but it performs a narrow procedural task and evaluates no one, so under "
                "Art. 6(3)(a) it is not high-risk. The provider must document that assessment (Art. 6(4)) and "
                "register the system (Art. 49(2)); no high-risk requirement applies, though AI literacy "
                "(Art. 4) applies to every provider and deployer."),
    _system("Job-interview chatbot",
            "Holds a first written interview with job applicants and scores their answers; applicants below a "
            "cut-off score are not invited to an interview with a person.",
            "human resources", "job applicants", "company", "online", "none", "employment", "decides",
            profiles=True, interacts=True, generates=True, tier="high", transparency=True,
            basis="Art. 6(2), Annex III 4(a); Art. 50(1)",
            why="It evaluates candidates (Annex III 4(a)), so it is high-risk. Because it talks directly with "
                "people it must also tell them that they are talking to an AI system (Art. 50(1)): the "
                "high-risk tier governs and the transparency duty comes on top."),
    _system("Call-centre emotion monitor",
            "Analyses call-centre agents' voices during calls to infer frustration, boredom or anger, and "
            "reports an 'emotional performance' score for each agent to supervisors.",
            "customer service", "call-centre employees", "company", "workplace", "emotion_recognition",
            "biometrics", "recommends", profiles=True, tier="prohibited", basis="Art. 5(1)(f)",
            why="Inferring the emotions of people at work is prohibited by Art. 5(1)(f), unless the system is "
                "put in place for medical or safety reasons; neither applies to a performance score."),
    _system("Pilot stress alert",
            "Listens to the cockpit voice channel during flights and alerts the co-pilot and the airline's "
            "safety officer when it detects acute stress or panic in a pilot's voice.",
            "aviation", "airline pilots", "company", "workplace", "emotion_recognition", "biometrics",
            "recommends", profiles=True, tier="high", transparency=True,
            basis="Art. 5(1)(f) (safety exception); Art. 6(2), Annex III 1(c); Art. 50(3)",
            why="Emotion recognition at work, but put in place for safety reasons, which Art. 5(1)(f) exempts "
                "from the prohibition; it stays an emotion-recognition system under Annex III 1(c), so "
                "high-risk, and the pilots must be informed (Art. 50(3)). (Recital 18: detecting fatigue "
                "alone would not be emotion recognition at all.) The structured attributes do not record the "
                "safety purpose, so a rule built on them says 'prohibited': a case for legal review."),
    # ------------------------------------------------------------------ essential services (Annex III 5)
    _system("Consumer credit scoring",
            "Estimates each loan applicant's probability of default from the application and their credit "
            "history; applications below a cut-off are refused automatically.",
            "banking", "loan applicants", "company", "online", "none", "essential_services", "decides",
            profiles=True, tier="high", basis="Art. 6(2), Annex III 5(b)",
            why="Annex III 5(b) lists systems that evaluate the creditworthiness of natural persons or "
                "establish their credit score. Fully automated refusals also engage Art. 22 GDPR, and a "
                "fundamental-rights impact assessment is due from the deployer (Art. 27)."),
    _system("Card fraud detector",
            "Scores card payments as they happen and holds those that look fraudulent until the bank's "
            "analysts have checked them.",
            "banking", "card holders", "company", "online", "none", "none", "recommends", profiles=True,
            tier="minimal", basis="Annex III 5(b) (fraud-detection exclusion)",
            why="Annex III 5(b) explicitly excludes AI systems used to detect financial fraud, so this system "
                "is not high-risk although it profiles customers, and it has no Art. 50 duty. Data-protection "
                "and payment-services law still apply."),
    _system("Welfare fraud risk scoring",
            "Scores people who receive housing and child benefits for the risk that they commit benefit "
            "fraud; high scores trigger investigations that can suspend payments.",
            "public administration", "benefit recipients", "public_authority", "online", "none",
            "essential_services", "recommends", profiles=True, tier="high", basis="Art. 6(2), Annex III 5(a)",
            why="Annex III 5(a) covers systems used by public authorities to evaluate eligibility for public "
                "assistance benefits and to grant, reduce, revoke or reclaim them; the fraud exclusion of 5(b) "
                "concerns credit only. The Dutch childcare-benefits scandal shows what is at stake. Scoring "
                "people on social behaviour from unrelated contexts would instead be prohibited social "
                "scoring (Art. 5(1)(c))."),
    # ------------------------------------------------------------------ education (Annex III 3)
    _system("University admissions ranker",
            "Ranks applicants to a university's degree programmes from grades, essays and test scores; the "
            "admissions committee admits from the top of the list.",
            "higher education", "prospective students", "public_authority", "education", "none", "education",
            "recommends", profiles=True, tier="high", basis="Art. 6(2), Annex III 3(a)",
            why="Annex III 3(a) covers systems that determine access or admission to educational "
                "institutions; a ranking the committee admits from materially influences who gets in."),
    _system("Classroom mood map",
            "Uses classroom cameras to infer whether each pupil is bored, confused or engaged, and shows the "
            "teacher a live 'mood map' of the class.",
            "school education", "pupils", "public_authority", "education", "emotion_recognition", "biometrics",
            "recommends", profiles=True, tier="prohibited", basis="Art. 5(1)(f)",
            why="Inferring the emotions of pupils in an education institution is prohibited by Art. 5(1)(f); "
                "no medical or safety reason applies."),
    # ------------------------------------------------------------------ biometrics and law enforcement
    _system("Stadium watch-list matching",
            "Police scan the faces of all fans entering a football stadium in real time and match them "
            "against a watch list of people wanted for minor offences.",
            "policing", "football fans", "law_enforcement", "public_space", "remote_biometric_identification",
            "biometrics", "recommends", profiles=True, realtime=True, tier="prohibited", basis="Art. 5(1)(h)",
            why="Real-time remote biometric identification in a publicly accessible space for law enforcement "
                "is prohibited by Art. 5(1)(h); searching for people wanted for minor offences is not one of "
                "its narrow exceptions (specific victims, imminent threats, suspects of the serious crimes of "
                "Annex II)."),
    _system("Live face search for an abducted child",
            "For 48 hours, police compare the faces in live CCTV at a railway station with a photo of one "
            "abducted child, with the prior authorisation of a judge.",
            "policing", "everyone passing through the station", "law_enforcement", "public_space",
            "remote_biometric_identification", "biometrics", "recommends", profiles=True, realtime=True,
            tier="high", basis="Art. 5(1)(h)(i), 5(2)-(3), 5(5); Art. 6(2), Annex III 1(a)",
            why="Real-time remote biometric identification for law enforcement is prohibited except for listed "
                "objectives such as the targeted search for a specific victim of abduction, under the "
                "conditions of Art. 5(2) (a targeted search, limits in time and place) with a prior "
                "authorisation by a judge or an independent authority (Art. 5(3)), and only where national "
                "law provides for the exception (Art. 5(5)). Under the exception it is high-risk "
                "(Annex III 1(a)). The "
                "structured attributes do not record the exception, so a rule built on them says "
                "'prohibited': a case for legal review."),
    _system("Post-event CCTV face search",
            "After a robbery, police run face recognition on recorded CCTV footage to find candidate matches "
            "for the suspects in a database of photos; an officer reviews every match.",
            "policing", "people in the footage and the database", "law_enforcement", "public_space",
            "remote_biometric_identification", "biometrics", "recommends", profiles=True, realtime=False,
            tier="high", basis="Art. 6(2), Annex III 1(a); Art. 26(10)",
            why="Post (not real-time) remote biometric identification is not prohibited but is high-risk under "
                "Annex III 1(a). Art. 26(10) requires a law-enforcement deployer to request an authorisation "
                "from a judicial or binding administrative authority (ex ante or within 48 hours) for a "
                "targeted search, except when the system is used for the initial identification of a "
                "potential suspect based on objective and verifiable facts directly linked to the offence, "
                "as a search for the robbery's suspects may be."),
    _system("Domestic-violence risk assessment",
            "Helps police estimate the risk that a person who reported domestic violence will be attacked "
            "again, to set the level of police protection.",
            "policing", "victims of domestic violence", "law_enforcement", "online", "none", "law_enforcement",
            "recommends", profiles=True, tier="high", basis="Art. 6(2), Annex III 6(a)",
            why="Annex III 6(a) covers systems used by law enforcement to assess the risk of a natural person "
                "becoming the victim of criminal offences. Spain's VioGén system is a real example."),
    _system("Personality-based crime prediction",
            "Predicts how likely each resident of a neighbourhood is to commit a crime, from their personality "
            "traits, nationality and debts alone, so that police can watch those with high scores.",
            "policing", "residents", "law_enforcement", "online", "crime_prediction_profiling", "law_enforcement",
            "recommends", profiles=True, tier="prohibited", basis="Art. 5(1)(d)",
            why="Art. 5(1)(d) prohibits assessing the risk that a person will commit an offence based solely on "
                "profiling or on personality traits and characteristics. (Supporting a human assessment that "
                "rests on objective, verifiable facts linked to a criminal activity is not covered.)"),
    _system("Face-image scraper",
            "Crawls social media and public webcams, collects every face it finds, untargeted, and builds a "
            "face-recognition database that it sells to businesses.",
            "technology", "anyone whose face appears online", "company", "online", "face_scraping", "none",
            "none", profiles=False, tier="prohibited", basis="Art. 5(1)(e)",
            why="Creating or expanding facial-recognition databases through the untargeted scraping of facial "
                "images from the internet or CCTV footage is prohibited by Art. 5(1)(e)."),
    _system("Orientation-from-photos classifier",
            "Infers users' sexual orientation from their profile photos so that advertisers can target them.",
            "advertising", "social-media users", "company", "online", "sensitive_biometric_categorisation",
            "biometrics", "decides", profiles=True, tier="prohibited", basis="Art. 5(1)(g)",
            why="Biometric categorisation that deduces or infers sexual orientation (or race, political "
                "opinions, trade-union membership, religious or philosophical beliefs, sex life) is prohibited "
                "by Art. 5(1)(g)."),
    _system("Phone face unlock",
            "Unlocks a smartphone when its owner looks at it, by comparing the face with the owner's enrolled "
            "template (one-to-one verification).",
            "consumer electronics", "phone owners", "individual", "home", "biometric_verification", "none",
            "decides", profiles=False, tier="minimal", basis="Annex III 1(a) (verification exclusion)",
            why="Annex III 1(a) excludes biometric verification whose sole purpose is to confirm that a person "
                "is who they claim to be. Data-protection rules on biometric data still apply."),
    # ------------------------------------------------------------------ public sector, migration, justice
    _system("Civic trust score",
            "A city gives residents a 'civic trust' score built from parking fines, social-media posts and "
            "neighbours' reports, and uses it to rank them for public housing and childcare places.",
            "public administration", "residents", "public_authority", "online", "social_scoring",
            "essential_services", "decides", profiles=True, tier="prohibited", basis="Art. 5(1)(c)",
            why="Scoring people on their social behaviour and personal characteristics, with detrimental "
                "treatment in contexts unrelated to where the data came from (housing, childcare), is the "
                "social scoring that Art. 5(1)(c) prohibits."),
    _system("Border risk assessment",
            "Scores travellers arriving at the border for security and irregular-migration risk and sends "
            "those with high scores to a second check.",
            "border control", "travellers", "public_authority", "border", "none", "migration", "recommends",
            profiles=True, tier="high", basis="Art. 6(2), Annex III 7(b)",
            why="Annex III 7(b) lists systems used to assess a security risk, a risk of irregular migration, or "
                "a health risk posed by a person who intends to enter or has entered a Member State."),
    _system("Judicial research assistant",
            "Finds the case law and statutes relevant to a case and suggests how they apply to its facts, for "
            "judges to consult while they write their decision.",
            "justice", "parties to court cases", "public_authority", "court", "none", "justice_democracy",
            "recommends", profiles=False, tier="high", basis="Art. 6(2), Annex III 8(a)",
            why="Annex III 8(a) covers systems intended to assist a judicial authority in researching and "
                "interpreting facts and the law and in applying the law to a concrete set of facts."),
    # ------------------------------------------------------------------ products and infrastructure
    _system("Grid load controller",
            "Controls the distribution of electricity in a regional grid, switching lines and balancing load "
            "automatically; operators can override it.",
            "energy", "households and businesses supplied", "company", "infrastructure", "none",
            "critical_infrastructure", "decides", profiles=False, tier="high", basis="Art. 6(2), Annex III 2",
            why="Annex III 2 covers AI systems intended to be used as safety components in the management and "
                "operation of critical digital infrastructure, road traffic, or the supply of water, gas, "
                "heating or electricity."),
    _system("Chest X-ray nodule finder",
            "Marks suspected lung nodules on chest X-rays for radiologists. It is medical-device software that "
            "needs a notified body's assessment under the Medical Devices Regulation.",
            "health care", "patients", "company", "healthcare", "none", "none", "recommends", profiles=False,
            annex_i=True, tier="high", basis="Art. 6(1), Annex I (Regulation (EU) 2017/745)",
            why="A product, or the safety component of a product, covered by the Union harmonisation "
                "legislation of Annex I and needing third-party conformity assessment is high-risk under "
                "Art. 6(1); medical-device software of class IIa or higher needs a notified body. These "
                f"obligations apply from {ANNEX_I_FROM} (as amended by the Digital Omnibus; facts as of "
                f"{FACTS_AS_OF})."),
    # ------------------------------------------------------------------ transparency (Article 50)
    _system("Language-practice chatbot",
            "Holds practice conversations with learners in a language-learning app; it does not grade or "
            "assess them.",
            "education technology", "language learners", "company", "online", "none", "none", "none",
            profiles=False, interacts=True, generates=True, tier="limited", transparency=True,
            basis="Art. 50(1)-(2)",
            why="It talks directly with people, who must be told they are talking to an AI system unless that "
                "is obvious (Art. 50(1)), and its generated text must be machine-readably marked (Art. 50(2)). "
                "It assesses no one, so Annex III 3 does not apply."),
    _system("Web-shop support chatbot",
            "Answers customers' questions about orders, deliveries and returns on a web shop, and hands over to "
            "a person on request.",
            "retail", "customers", "company", "online", "none", "none", "none", profiles=False, interacts=True,
            generates=True, tier="limited", transparency=True, basis="Art. 50(1)-(2)",
            why="A chatbot: people must be told they are interacting with an AI system (Art. 50(1)), and its "
                "generated text carries the marking duty of Art. 50(2). Nothing in Art. 5 or Annex III applies."),
    _system("Advertising image generator",
            "Generates realistic product photos and advertising images from text prompts for a marketing "
            "team.",
            "marketing", "people who see the adverts", "company", "online", "none", "none", "none",
            profiles=False, generates=True, tier="limited", transparency=True, basis="Art. 50(2), 50(4)",
            why="Providers of systems that generate synthetic images must mark the outputs as artificially "
                "generated in a machine-readable way (Art. 50(2)); if an image is a deep fake (real-looking "
                "people, places or events), the deployer must disclose it (Art. 50(4))."),
    _system("Satire deep-fake studio",
            "A satirical television show uses a tool that makes videos in which politicians appear to say "
            "things they never said.",
            "media", "the politicians shown and the viewers", "company", "online", "none", "none", "none",
            profiles=False, generates=True, tier="limited", transparency=True, basis="Art. 50(2), 50(4)",
            why="Deep fakes must be disclosed as artificially generated (Art. 50(4)); for evidently satirical "
                "or artistic work the disclosure may be limited so that it does not hamper the work. The "
                "provider must mark the outputs (Art. 50(2))."),
    _system("Automated local news",
            "Writes local news articles about council decisions and publishes them with no human editor "
            "reviewing them.",
            "media", "readers", "company", "online", "none", "none", "none", profiles=False, generates=True,
            tier="limited", transparency=True, basis="Art. 50(2), 50(4)",
            why="AI-generated text published to inform the public on matters of public interest must be "
                "disclosed as such, unless it undergoes human review or editorial control and someone holds "
                "editorial responsibility (Art. 50(4)); here no one does."),
    # ------------------------------------------------------------------ minimal risk
    _system("E-mail spam filter",
            "Moves unwanted bulk e-mail to a spam folder.",
            "software", "e-mail users", "company", "online", "none", "none", "decides", profiles=False,
            tier="minimal", basis="none (Art. 95 voluntary codes)",
            why="Not in Art. 5, Annex I or Annex III, and no Art. 50 duty: minimal risk. Voluntary codes of "
                "conduct (Art. 95) and the AI-literacy duty of Art. 4 apply to every system."),
    _system("Shop demand forecaster",
            "Forecasts the weekly demand for each product in a chain of shops so that staff can plan orders.",
            "retail", "shop staff (indirectly)", "company", "workplace", "none", "none", "recommends",
            profiles=False, tier="minimal", basis="none (Art. 95 voluntary codes)",
            why="It makes no decision about people and is not listed anywhere in the Act: minimal risk. Being "
                "used at a workplace does not matter; only certain uses there (emotion recognition, worker "
                "management) do."),
]

CONTROL_COLUMNS = ["control_id", "control", "split", "function", "also_acceptable", "rmf_subcategory", "reason"]


def _control(control, function, also, subcategory, reason, split="assignment"):
    return {"control": control, "split": split, "function": function, "also_acceptable": also,
            "rmf_subcategory": subcategory, "reason": reason}


LESSON_CONTROLS = [
    _control("Name one executive who is accountable for the risks of every AI system the organisation runs, "
             "and write down who does what.", "govern", "", "GOVERN 2.1, 2.3",
             "Accountability structures and roles are the core of GOVERN 2.", "lesson"),
    _control("Keep an inventory of all AI systems in use, with owner, purpose and risk tier.", "govern", "",
             "GOVERN 1.6", "GOVERN 1.6 asks for mechanisms to inventory AI systems.", "lesson"),
    _control("Write down the intended purpose, the users, the people affected and the foreseeable misuse of the "
             "loan pre-screening system.", "map", "", "MAP 1.1",
             "Establishing the context of one system is MAP 1.", "lesson"),
    _control("Decide which EU AI Act risk tier the system falls under and list the obligations that follow.", "map",
             "govern", "MAP 1.1; GOVERN 1.1",
             "Placing one system in its legal context is mapping (MAP 1.1 names context-specific laws); "
             "GOVERN 1.1 (legal requirements are understood and managed) is also defensible.", "lesson"),
    _control("Measure the system's accuracy on held-out data, with a bootstrap confidence interval.", "measure",
             "", "MEASURE 2.3, 2.5", "Quantifying performance with its uncertainty is MEASURE 2.", "lesson"),
    _control("Compute approval-rate and error-rate gaps between age groups and between sexes.", "measure", "",
             "MEASURE 2.11", "MEASURE 2.11: fairness and bias are evaluated and results documented.", "lesson"),
    _control("Decide, from the audit results, whether to deploy the system, and write down the residual risks "
             "that are accepted.", "manage", "", "MANAGE 1.1, 1.4",
             "Go/no-go decisions and documented residual risk are MANAGE 1.", "lesson"),
    _control("Monitor the deployed model's approval rates and input distribution every month, with alert "
             "thresholds.", "manage", "measure", "MANAGE 4.1; MEASURE 2.4",
             "Post-deployment monitoring plans are MANAGE 4.1; MEASURE 2.4 (behaviour monitored in "
             "production) is also defensible.", "lesson"),
]

ASSIGNMENT_CONTROLS = [
    _control("Adopt an organisation-wide policy listing the AI uses the organisation will never build or buy, "
             "such as the practices of Article 5 of the AI Act.", "govern", "", "GOVERN 1.1, 1.2",
             "An organisation-wide policy that encodes legal requirements is GOVERN 1."),
    _control("Train every employee who builds, buys or operates AI systems on AI risks and on their own "
             "responsibilities.", "govern", "", "GOVERN 2.2",
             "GOVERN 2.2: personnel receive AI risk-management training (also the AI-literacy duty of "
             "Art. 4 of the AI Act)."),
    _control("Set the organisation's risk tolerance: which error rates and group gaps are acceptable for which "
             "kinds of use.", "govern", "map", "GOVERN 1.3; MAP 1.5",
             "Organisation-wide tolerances are GOVERN 1.3; MAP 1.5 (risk tolerances determined and documented "
             "for a context) is also defensible."),
    _control("Require suppliers of third-party models and datasets to provide model cards, datasheets and "
             "licences before anything is bought.", "govern", "map", "GOVERN 6.1; MAP 4.1",
             "Supply-chain policy is GOVERN 6.1; MAP 4.1 (mapping the legal and technical risks of third-party "
             "components) is also defensible."),
    _control("Make sure the teams that design AI systems include people with different backgrounds and "
             "expertise (domain experts, lawyers, people from affected communities).", "govern", "map",
             "GOVERN 3.1; MAP 1.2",
             "Team diversity is GOVERN 3.1; MAP 1.2 (interdisciplinary actors establish context) is also "
             "defensible."),
    _control("Describe the deployment setting of the system: who uses its output, for which decision, and what "
             "happens to the people affected.", "map", "", "MAP 1.1, 3.3",
             "Documenting the context and scope of use of one system is MAP 1 and MAP 3."),
    _control("List who could be harmed by the system and how, and estimate how likely and how severe each harm "
             "is.", "map", "", "MAP 5.1", "MAP 5.1: likelihood and magnitude of each impact are identified."),
    _control("Compare the planned AI system with a non-AI alternative and with the current process, on costs "
             "and benefits.", "map", "manage", "MAP 3.1, 3.2; MANAGE 2.1",
             "Benefits and costs are MAP 3.1-3.2; MANAGE 2.1 (considering non-AI alternatives when "
             "managing risk) is also defensible."),
    _control("Document the system's knowledge limits and how people will oversee and can override its outputs.",
             "map", "", "MAP 2.2, 3.5",
             "MAP 2.2 (knowledge limits and human oversight documented) and MAP 3.5 (oversight processes "
             "defined)."),
    _control("Interview representatives of the people affected by the system before its design is final.",
             "map", "govern", "MAP 5.2, 1.6; GOVERN 5.1",
             "Engagement to understand impacts is MAP 5.2; GOVERN 5.1 (policies for external feedback) is "
             "also defensible."),
    _control("Check whether the predicted probabilities match observed frequencies (calibration), overall and "
             "for each group.", "measure", "", "MEASURE 2.5, 2.11",
             "Validity and reliability of outputs are evaluated: MEASURE 2."),
    _control("Test whether obfuscated inputs (typos, leetspeak, look-alike characters) evade the system.",
             "measure", "", "MEASURE 2.7", "MEASURE 2.7: security and resilience are evaluated."),
    _control("Have a team that did not build the system repeat the key evaluations.", "measure", "",
             "MEASURE 1.3", "MEASURE 1.3: independent assessors are involved in regular assessments."),
    _control("Estimate the energy use and carbon emissions of training and running the model.", "measure", "",
             "MEASURE 2.12", "MEASURE 2.12: environmental impact is assessed and documented."),
    _control("Test whether the model leaks personal data from its training set, for example by membership "
             "inference.", "measure", "", "MEASURE 2.10", "MEASURE 2.10: privacy risk is examined."),
    _control("Write a response plan for each high-priority risk found in the audit: mitigate, transfer, avoid "
             "or accept it.", "manage", "", "MANAGE 1.3",
             "MANAGE 1.3: responses to high-priority risks are developed, planned and documented."),
    _control("Give a named person the authority, and a tested procedure, to switch the system off if it harms "
             "people.", "manage", "", "MANAGE 2.4",
             "MANAGE 2.4: mechanisms to supersede, disengage or deactivate a system."),
    _control("Let people contest a decision and reach a human reviewer, and feed the appeals back into the "
             "evaluation.", "manage", "measure", "MANAGE 4.1; MEASURE 3.3",
             "Appeal and override are part of MANAGE 4.1; MEASURE 3.3 (feedback and appeal processes integrated "
             "into evaluation) is also defensible."),
    _control("Tell affected people and the regulator about serious incidents, and record how each one was "
             "fixed.", "manage", "govern", "MANAGE 4.3; GOVERN 4.3",
             "Communicating and tracking incidents is MANAGE 4.3; GOVERN 4.3 (practices for incident "
             "identification and information sharing) is also defensible."),
    _control("Watch the third-party pre-trained models the system uses for newly reported vulnerabilities and "
             "licence changes.", "manage", "", "MANAGE 3.1, 3.2",
             "MANAGE 3: risks from third-party resources and pre-trained models are monitored."),
]


def build_systems() -> list[dict]:
    return [{"system_id": f"S{number:02d}", **system} for number, system in enumerate(SYSTEMS, start=1)]


def build_controls() -> list[dict]:
    rows = [{"control_id": f"L{number:02d}", **c} for number, c in enumerate(LESSON_CONTROLS, start=1)]
    rows += [{"control_id": f"C{number:02d}", **c} for number, c in enumerate(ASSIGNMENT_CONTROLS, start=1)]
    return rows


def _check(systems: list[dict], controls: list[dict]) -> None:
    vocab = {"deployer": DEPLOYERS, "setting": SETTINGS, "practice": PRACTICES, "annex_iii_area": AREAS,
             "decision_role": ROLES, "tier": TIERS}
    for row in systems:
        for column, allowed in vocab.items():
            assert row[column] in allowed, (row["name"], column, row[column])
        for column in ("realtime", "annex_i_product", "profiles_people", "interacts_with_people",
                       "generates_synthetic_content", "transparency_obligation"):
            assert type(row[column]) is bool, (row["name"], column)
        assert row["description"].endswith(".") and row["justification"].endswith(("." , ")")), row["name"]
        assert row["tier"] != "limited" or row["transparency_obligation"], row["name"]
    names = [row["name"] for row in systems]
    assert len(set(names)) == len(names), "duplicate system names"
    counts = {tier: sum(row["tier"] == tier for row in systems) for tier in TIERS}
    assert counts == {"prohibited": 7, "high": 13, "limited": 5, "minimal": 5}, counts
    for row in controls:
        assert row["function"] in FUNCTIONS, row
        assert row["also_acceptable"] in ("", *FUNCTIONS) and row["also_acceptable"] != row["function"], row
    texts = [row["control"] for row in controls]
    assert len(set(texts)) == len(texts), "duplicate controls"


def _write(name: str, rows: list[dict], columns: list[str]) -> None:
    with open(HERE / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    systems, controls = build_systems(), build_controls()
    _check(systems, controls)
    _write("governance_systems.csv", systems, SYSTEM_COLUMNS)
    _write("governance_controls.csv", controls, CONTROL_COLUMNS)
    print(f"wrote {len(systems)} systems and {len(controls)} controls "
          f"({len(LESSON_CONTROLS)} lesson, {len(ASSIGNMENT_CONTROLS)} assignment)")


if __name__ == "__main__":
    main()
