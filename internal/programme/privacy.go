package programme

// noticeV1 is the first privacy notice of the DeCoDe project. It names the
// controller, purpose, lawful basis, recipients (the funder's executive agency,
// the Commission and audit bodies), retention and rights, as the programme
// requires.
var noticeV1 = map[string]string{
	"en": `Controller: Daugavpils City Council (Daugavpils pilsētas dome), K. Valdemāra iela 1, Daugavpils, Latvia, lead partner of the DeCoDe project.

Purpose: to register you for the project's events, issue and check your ticket, and prove to the funder who took part. The project is co-funded by the European Union's "Europe for Citizens" programme (grant 595269-CITIZ-1-2017-2-LV-CITIZ-NT).

Lawful basis: the performance of a task in the public interest and the funder's legal requirements (GDPR Art. 6(1)(e) and (c)). Optional data (age band, gender, photographs) only with your consent, which you may withdraw at any time.

Recipients: the event's host partner; participant lists may be passed to the European Education and Culture Executive Agency, the European Commission and audit bodies (the European Court of Auditors, the European Anti-Fraud Office OLAF).

Retention: five years after the payment of the grant's balance (three years for low-value grants), then deleted or anonymised. Dietary and accessibility needs are deleted 30 days after the event.

Your rights: access, rectification, erasure (where the funder's rules allow), restriction, objection, and complaint to the Data State Inspectorate of Latvia (www.dvi.gov.lv). Use the private link in your e-mails to see, change or cancel your registration.`,
	"lv": `Pārzinis: Daugavpils pilsētas dome, K. Valdemāra iela 1, Daugavpils, Latvija, DeCoDe projekta vadošais partneris.

Mērķis: reģistrēt jūs projekta pasākumiem, izsniegt un pārbaudīt jūsu biļeti un pierādīt finansētājam, kas piedalījās. Projektu līdzfinansē Eiropas Savienības programma "Eiropa pilsoņiem" (līgums 595269-CITIZ-1-2017-2-LV-CITIZ-NT).

Tiesiskais pamats: sabiedrības interesēs veicams uzdevums un finansētāja juridiskās prasības (VDAR 6. panta 1. punkta e) un c) apakšpunkts). Neobligātos datus (vecuma grupa, dzimums, fotogrāfijas) apstrādājam tikai ar jūsu piekrišanu, ko varat jebkurā laikā atsaukt.

Saņēmēji: pasākuma rīkotājs partneris; dalībnieku sarakstus var nodot Eiropas Izglītības un kultūras izpildaģentūrai, Eiropas Komisijai un revīzijas iestādēm (Eiropas Revīzijas palātai, Eiropas Birojam krāpšanas apkarošanai OLAF).

Glabāšana: piecus gadus pēc granta atlikuma izmaksas (trīs gadus mazvērtīgiem grantiem), pēc tam dati tiek dzēsti vai anonimizēti. Uztura un piekļūstamības vajadzības tiek dzēstas 30 dienas pēc pasākuma.

Jūsu tiesības: piekļuve, labošana, dzēšana (ciktāl to ļauj finansētāja noteikumi), ierobežošana, iebildumi un sūdzība Datu valsts inspekcijai (www.dvi.gov.lv). Izmantojiet privāto saiti savos e-pastos, lai skatītu, mainītu vai atceltu reģistrāciju.`,
	"ru": `Контролёр: Думе города Даугавпилс (Daugavpils pilsētas dome), ул. К. Валдемара 1, Даугавпилс, Латвия, ведущий партнёр проекта DeCoDe.

Цель: зарегистрировать вас на мероприятия проекта, выдать и проверить ваш билет и подтвердить финансирующей стороне, кто участвовал. Проект софинансируется программой Европейского союза «Европа для граждан» (договор 595269-CITIZ-1-2017-2-LV-CITIZ-NT).

Правовое основание: выполнение задачи в общественных интересах и правовые требования финансирующей стороны (ст. 6(1)(e) и (c) GDPR). Необязательные данные (возрастная группа, пол, фотографии) — только с вашего согласия, которое можно отозвать в любое время.

Получатели: партнёр, принимающий мероприятие; списки участников могут быть переданы Европейскому исполнительному агентству по образованию и культуре, Европейской комиссии и органам аудита (Европейской счётной палате, Европейскому бюро по борьбе с мошенничеством OLAF).

Хранение: пять лет после выплаты остатка гранта (три года для небольших грантов), затем данные удаляются или обезличиваются. Сведения о питании и доступности удаляются через 30 дней после мероприятия.

Ваши права: доступ, исправление, удаление (насколько позволяют правила финансирующей стороны), ограничение, возражение и жалоба в Государственную инспекцию данных Латвии (www.dvi.gov.lv). Используйте личную ссылку в письмах, чтобы просмотреть, изменить или отменить регистрацию.`,
}
