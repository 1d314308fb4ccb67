package seed

// kind is a sort of group a peer-support directory lists, with the words its
// listings share. In name, %s is the neighbourhood; in any text, {sign} is the
// local signed language. Tags are what this sort of group usually offers,
// whatever the venue.
type kind struct {
	slug        text
	name        text
	summaries   []text
	description text
	expect      text
	join        text
	cost        text
	tags        []string
	// contactFirst: people are asked to get in touch before their first visit.
	contactFirst bool
	// signed: the group meets in the local signed language.
	signed bool
}

var (
	peerSupport = &kind{
		slug: text{"peer-support", "apoyo-mutuo"},
		name: text{"%s Peer Support Group", "Grupo de apoyo mutuo de %s"},
		summaries: []text{
			{"A warm, confidential circle to talk about how things are going, with people who get it.",
				"Un círculo cálido y confidencial para hablar de cómo te va, con gente que entiende."},
			{"Share as much or as little as you like; everyone here has been through hard times too.",
				"Comparte tanto o tan poco como quieras; aquí todo el mundo ha pasado por momentos difíciles."},
		},
		description: text{
			"A peer-led mental health support group. Facilitators are trained peers with their own experience of distress, not clinicians. We don't diagnose or give advice; we listen, share what has helped us, and keep what's said in the room.",
			"Grupo de apoyo mutuo en salud mental, facilitado por personas con experiencia propia de sufrimiento psíquico, no por profesionales clínicos. No diagnosticamos ni damos consejos: escuchamos, compartimos lo que nos ha servido y lo que se dice aquí, aquí se queda."},
		expect: text{
			"We start with a short check-in round (you can pass), then open sharing. There's tea, and a quiet corner if you need a break.",
			"Empezamos con una ronda breve de cómo llegamos (puedes pasar) y luego conversación abierta. Hay té y un rincón tranquilo si necesitas un respiro."},
		join: text{
			"Just come along. If it's your first time, arrive ten minutes early and a facilitator will say hello.",
			"Solo ven. Si es tu primera vez, llega diez minutos antes y alguien del equipo te recibirá."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "format.peer-led", "format.small-group", "format.listening-only-ok",
			"paperwork.first-names-only", "paperwork.no-referral", "identity.faith-neutral"},
	}

	griefCircle = &kind{
		slug: text{"grief-circle", "circulo-de-duelo"},
		name: text{"%s Grief Circle", "Círculo de duelo de %s"},
		summaries: []text{
			{"A gentle space to remember someone you've lost and to be with others who are grieving.",
				"Un espacio sereno para recordar a quien perdiste y acompañarte de otras personas en duelo."},
			{"For anyone grieving a death, recent or long ago; come and sit with people who understand.",
				"Para quien vive la muerte de un ser querido, reciente o lejana; aquí no tienes que dar explicaciones."},
		},
		description: text{
			"An open grief circle for adults. There is no right way to grieve and no timetable; people come for a few weeks or for years. Facilitated by volunteers who have been bereaved themselves.",
			"Círculo de duelo abierto para personas adultas. No hay una forma correcta de vivir el duelo ni plazos; hay quien viene unas semanas y quien viene durante años. Lo acompañan personas voluntarias que también han perdido a alguien."},
		expect: text{
			"We light a candle, say the names of the people we're missing if we want to, and talk. Tissues and tea are always there. Listening without speaking is fine.",
			"Encendemos una vela, decimos el nombre de quien extrañamos si queremos y conversamos. Siempre hay pañuelos y té. Puedes solo escuchar."},
		join: text{
			"No need to sign up. Come a few minutes early if you'd like a quiet word with the facilitator first.",
			"No hace falta inscribirse. Si quieres hablar antes con quien facilita, llega unos minutos antes."},
		cost: text{"Free; there's a jar for tea money, entirely optional.", "Gratuito; hay un bote para el té, totalmente voluntario."},
		tags: []string{"cost.free", "format.peer-led", "format.small-group", "format.listening-only-ok",
			"identity.faith-neutral", "paperwork.no-sign-up", "care.companion-welcome"},
	}

	// youngAdultsGrief is a grief circle that meets online for people in their
	// twenties and thirties: the grief circles' words, but its own description.
	youngAdultsGrief = griefCircle.withDescription(text{
		"An online grief circle for people in their twenties and thirties. Losing a parent, partner, sibling or friend young can feel lonely when friends have not been through it; here everyone has. Facilitated by volunteers who were bereaved young themselves. Camera on or off, speak or type in the chat, or just listen.",
		"Círculo de duelo en línea para personas de veinte y treinta y tantos años. Perder joven a una madre, un padre, la pareja, un hermano o una amistad puede hacerte sentir muy sola o solo cuando tu gente no lo ha vivido; aquí todo el mundo sí. Lo acompañan personas voluntarias que también perdieron a alguien siendo jóvenes. Con cámara o sin ella, hablando o escribiendo en el chat, o solo escuchando."})

	recovery = &kind{
		slug: text{"recovery-meeting", "reunion-de-recuperacion"},
		name: text{"%s All-Recovery Meeting", "Reunión de recuperación de %s"},
		summaries: []text{
			{"Every path to recovery is welcome here: twelve-step, SMART, medication-assisted, harm reduction or your own.",
				"Aquí cabe cualquier camino de recuperación: doce pasos, SMART, tratamiento con medicación, reducción de daños o el tuyo propio."},
			{"A mutual-aid meeting for anyone changing their relationship with alcohol or other drugs, however you go about it.",
				"Reunión de ayuda mutua para quien está cambiando su relación con el alcohol u otras drogas, a su manera."},
		},
		description: text{
			"An all-pathways recovery meeting. You don't need to be abstinent, have a sponsor or call yourself anything to come. People on medication for opioid use disorder are fully welcome.",
			"Reunión de recuperación abierta a todas las vías. No hace falta estar en abstinencia, tener padrino o madrina ni definirte de ninguna manera para venir. Las personas en tratamiento con metadona o buprenorfina son bienvenidas."},
		expect: text{
			"A short reading, a topic, then people share for a few minutes each. No cross-talk, no unasked-for advice. Coffee's on.",
			"Una lectura breve, un tema y luego cada persona comparte unos minutos. Sin interrupciones ni consejos no pedidos. Hay café."},
		join: text{
			"Walk in. Open meeting: friends and family are welcome too.",
			"Entra sin más. Reunión abierta: familiares y amistades también pueden venir."},
		cost: text{"Free; a basket goes round for rent, give only if you can.", "Gratuita; pasa una cesta para el alquiler, aporta solo si puedes."},
		tags: []string{"cost.free", "format.drop-in", "format.peer-led", "identity.sober-space", "paperwork.no-id",
			"paperwork.no-sign-up", "paperwork.first-names-only", "care.come-and-go"},
	}

	newParents = &kind{
		slug: text{"new-parents-circle", "circulo-de-crianza"},
		name: text{"%s New Parents' Circle", "Círculo de crianza de %s"},
		summaries: []text{
			{"Bring the baby, bring the questions: a relaxed morning with other new parents and carers.",
				"Trae al bebé y tus dudas: una mañana tranquila con otras madres, padres y personas que crían."},
			{"For anyone caring for a baby under one: cry, feed, nap, chat, nobody minds.",
				"Para quien cuida de un bebé de menos de un año: aquí se llora, se come, se duerme y se charla sin que a nadie le importe."},
		},
		description: text{
			"A peer circle for parents and carers of babies, including the ones who feel like they're not coping. Run by parents; a volunteer peer doula joins once a month.",
			"Círculo entre pares para madres, padres y personas que cuidan de bebés, también para quien siente que no llega a todo. Lo organizan familias; una doula voluntaria viene una vez al mes."},
		expect: text{
			"Mats on the floor, chairs for anyone who prefers them, snacks. We talk about sleep, feeding, work and how we're really doing.",
			"Colchonetas en el suelo, sillas para quien las prefiera y algo de picar. Hablamos del sueño, la alimentación, el trabajo y de cómo estamos de verdad."},
		join: text{
			"Drop in any week. Siblings under five are welcome too.",
			"Ven cualquier semana. Hermanitas y hermanitos de menos de cinco años también son bienvenidos."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "care.children-welcome", "care.come-and-go", "format.drop-in", "format.peer-led",
			"paperwork.no-id", "identity.faith-neutral"},
	}

	lgbtqYouth = &kind{
		slug: text{"lgbtq-youth-drop-in", "espacio-joven-lgbtq"},
		name: text{"%s LGBTQ+ Youth Drop-in", "Espacio joven LGBTQ+ de %s"},
		summaries: []text{
			{"A chill after-school space for LGBTQ+ and questioning young people, 14 to 21.",
				"Un espacio relajado después de clase para jóvenes LGBTQ+ o que se están cuestionando, de 14 a 21 años."},
			{"Games, snacks, art supplies and good company for queer, trans and questioning youth.",
				"Juegos, merienda, material para dibujar y buena compañía para jóvenes queer, trans y en búsqueda."},
		},
		description: text{
			"A youth-led drop-in for LGBTQ+ and questioning young people aged 14 to 21. Two trained adult volunteers are always there. No one will contact your family or school.",
			"Espacio de encuentro organizado por jóvenes LGBTQ+ y en búsqueda de 14 a 21 años. Siempre hay dos personas adultas voluntarias con formación. Nadie contactará a tu familia ni a tu escuela."},
		expect: text{
			"Come and go as you like. Some weeks there's an activity (zines, movie night, a visiting speaker); most weeks people just hang out.",
			"Entra y sal cuando quieras. Algunas semanas hay actividad (fanzines, cine, una charla); la mayoría simplemente pasamos el rato."},
		join: text{"Just show up, and use whatever name you like.", "Solo ven y usa el nombre que quieras."},
		cost: text{"Free, snacks included.", "Gratuito, con merienda incluida."},
		tags: []string{"cost.free", "identity.lgbtq-affirming", "identity.trans-affirming", "format.drop-in",
			"care.come-and-go", "paperwork.no-id", "paperwork.first-names-only", "identity.sober-space"},
	}

	transPeer = &kind{
		slug: text{"trans-peer-support", "apoyo-trans"},
		name: text{"%s Trans Peer Support", "Grupo de apoyo trans de %s"},
		summaries: []text{
			{"A private, trans-led circle for trans, nonbinary and gender-questioning adults.",
				"Un círculo privado, organizado por personas trans, para personas adultas trans, no binarias y en cuestionamiento."},
			{"Talk about anything, transition or not, with other trans and nonbinary people.",
				"Habla de lo que quieras, de transición o de cualquier otra cosa, con otras personas trans y no binarias."},
		},
		description: text{
			"Peer support run by and for trans and nonbinary adults. You don't need to be out, medically transitioning or sure of anything. We keep the location private so everyone can come safely.",
			"Apoyo mutuo organizado por y para personas adultas trans y no binarias. No necesitas haber salido del clóset, estar en transición médica ni tener nada claro. Mantenemos la dirección en reserva para que todo el mundo venga con tranquilidad."},
		expect: text{
			"A round of names and pronouns (optional), then open conversation. Clothing swap table at the last meeting of each month.",
			"Ronda de nombres y pronombres (opcional) y luego conversación abierta. En la última reunión del mes hay intercambio de ropa."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "identity.trans-affirming", "identity.lgbtq-affirming", "format.peer-led",
			"paperwork.first-names-only", "paperwork.no-id", "format.small-group"},
		contactFirst: true,
	}

	caregivers = &kind{
		slug: text{"caregivers-circle", "circulo-de-cuidadoras"},
		name: text{"%s Caregivers' Circle", "Círculo de personas cuidadoras de %s"},
		summaries: []text{
			{"For people looking after a family member or friend: an hour that's just for you.",
				"Para quienes cuidan de un familiar o una amistad: una hora solo para ti."},
			{"Caring for someone is a lot. Come and talk with others who are doing it too.",
				"Cuidar a alguien pesa. Ven a hablar con otras personas que también cuidan."},
		},
		description: text{
			"A peer circle for unpaid caregivers: of parents, partners, children with disabilities, friends. We share practical tips and the feelings nobody else asks about.",
			"Círculo entre pares para personas cuidadoras no remuneradas: de madres y padres, parejas, hijas e hijos con discapacidad, amistades. Compartimos trucos prácticos y lo que se siente y nadie pregunta."},
		expect: text{
			"Tea, a round of how-are-you-really, and time for questions. A resource table has information on respite and benefits.",
			"Café, una ronda de cómo estás de verdad y tiempo para dudas. Hay una mesa con información sobre respiro familiar y ayudas."},
		join: text{
			"Drop in. If you need to bring the person you care for, let us know and we'll find them a comfy spot.",
			"Ven sin avisar. Si necesitas traer a la persona que cuidas, avísanos y le buscamos un sitio cómodo."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "format.peer-led", "care.companion-welcome", "care.come-and-go",
			"format.small-group", "paperwork.no-referral"},
	}

	conversation = &kind{
		slug: text{"conversation-circle", "circulo-de-conversacion"},
		name: text{"%s Newcomers' Conversation Circle", "Círculo de conversación para recién llegados de %s"},
		summaries: []text{
			{"Practise everyday English over tea with neighbours: all levels, no homework.",
				"Practica el español de todos los días con el vecindario, tomando algo. Todos los niveles, sin tareas."},
			{"New to the city? Make friends and practise English in a relaxed group.",
				"¿Recién llegaste a la ciudad? Haz amistades y practica el idioma en un grupo relajado."},
		},
		description: text{
			"A friendly conversation circle for immigrants, refugees and anyone new to the city. Volunteers help with words, not papers: nobody asks about immigration status.",
			"Círculo de conversación para personas migrantes, refugiadas y recién llegadas. Las personas voluntarias ayudan con las palabras, no con los papeles: nadie pregunta por la situación migratoria."},
		expect: text{
			"Small tables of four or five, a topic card to start (food, work, the bus) and lots of laughing.",
			"Mesas pequeñas de cuatro o cinco personas, una tarjeta con un tema para empezar (comida, trabajo, el transporte) y muchas risas."},
		join: text{"Come any week; you can start anytime.", "Ven cualquier semana; puedes empezar cuando quieras."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "paperwork.no-immigration-questions", "paperwork.no-id", "paperwork.no-sign-up",
			"format.drop-in", "care.children-welcome", "lang.plain-language"},
	}

	chronicIllness = &kind{
		slug: text{"chronic-illness-group", "enfermedad-cronica"},
		name: text{"%s Chronic Illness Peer Group", "Grupo de apoyo en enfermedad crónica de %s"},
		summaries: []text{
			{"Living with a long-term condition? Swap tips and frustrations with people who won't tell you to try yoga.",
				"¿Convives con una enfermedad de larga duración? Comparte trucos y frustraciones con gente que no te va a recomendar yoga."},
			{"For people living with lupus, long COVID, ME/CFS, diabetes and other long-term conditions.",
				"Para personas que viven con lupus, COVID persistente, encefalomielitis miálgica, diabetes u otras enfermedades crónicas."},
		},
		description: text{
			"A peer group for adults with chronic illness, visible or not. Pacing is respected: lie down, stand, arrive late or leave early, nobody minds.",
			"Grupo entre pares para personas adultas con enfermedades crónicas, visibles o no. Se respeta el ritmo de cada cual: puedes recostarte, estar de pie, llegar tarde o irte antes."},
		expect: text{
			"A short round, then a topic someone brought: appointments, work, energy, relationships.",
			"Una ronda breve y luego un tema que trae alguien: citas médicas, trabajo, energía, relaciones."},
		join: text{
			"Come as you are. You can message the organizer first if you'd like to know more.",
			"Ven tal como estés. Si quieres saber más antes, escribe a quien organiza."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "format.peer-led", "care.come-and-go", "format.small-group", "format.listening-only-ok"},
	}

	chronicPain = &kind{
		slug: text{"chronic-pain-group", "dolor-cronico"},
		name: text{"%s Chronic Pain Peer Support", "Grupo de dolor crónico de %s"},
		summaries: []text{
			{"Meet others who live with pain every day: no fixing, just understanding and practical swaps.",
				"Conoce a otras personas que viven con dolor cada día: sin soluciones mágicas, solo comprensión y trucos prácticos."},
			{"A patient, low-pressure group for people living with persistent pain.",
				"Un grupo paciente y sin presión para personas que conviven con dolor persistente."},
		},
		description: text{
			"A peer support group for adults with persistent pain of any cause. We talk about pacing, appointments, sleep and the parts of pain that don't show on a scan.",
			"Grupo de apoyo entre pares para personas adultas con dolor persistente de cualquier origen. Hablamos de cómo dosificar la energía, las consultas, el sueño y lo que del dolor no sale en ninguna prueba."},
		expect: text{
			"Chairs with backs and cushions, permission to stand or stretch anytime, a ten-minute break halfway.",
			"Sillas con respaldo y cojines, libertad para ponerte de pie o estirarte cuando quieras y un descanso de diez minutos a la mitad."},
		join: text{"Come along; no referral needed.", "Ven cuando quieras; no hace falta derivación."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "format.peer-led", "care.come-and-go", "format.small-group", "paperwork.no-referral"},
	}

	hearingVoices = &kind{
		slug: text{"hearing-voices-group", "escuchadores-de-voces"},
		name: text{"%s Hearing Voices Group", "Grupo de escuchadores de voces de %s"},
		summaries: []text{
			{"For people who hear voices, see visions or have other unusual experiences; every explanation is respected.",
				"Para personas que escuchan voces, tienen visiones u otras experiencias inusuales; se respetan todas las explicaciones."},
			{"Talk openly about voices and visions with people who live with them too.",
				"Habla con libertad de voces y visiones con personas que también las viven."},
		},
		description: text{
			"Part of the international Hearing Voices approach: voices are meaningful experiences, not just symptoms. You don't need a diagnosis, and nobody will try to talk you out of your own understanding.",
			"Sigue el enfoque internacional de los grupos de escuchadores de voces: las voces son experiencias con sentido, no solo síntomas. No necesitas diagnóstico y nadie intentará cambiar tu forma de entenderlas."},
		expect: text{
			"Ground rules agreed by the group, then sharing. Medication is neither encouraged nor discouraged here.",
			"Normas acordadas por el grupo y luego compartir. Aquí no se recomienda ni se desaconseja la medicación."},
		join: text{
			"Please get in touch before your first meeting so a facilitator can say hello and tell you what to expect.",
			"Escríbenos antes de tu primera reunión para que alguien del equipo te salude y te cuente cómo funciona."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "format.peer-led", "format.small-group", "format.listening-only-ok",
			"paperwork.no-referral", "paperwork.first-names-only"},
		contactFirst: true,
	}

	mensShed = &kind{
		slug: text{"mens-shed", "taller-compartido"},
		name: text{"%s Men's Shed", "Taller compartido de %s"},
		summaries: []text{
			{"Fix things, make things and have a coffee: shoulder-to-shoulder company for men of any age.",
				"Arreglar cosas, hacer cosas y tomar un café: compañía hombro con hombro para hombres de cualquier edad."},
			{"A workshop where men, and anyone who wants a quiet bench, build, repair and talk.",
				"Un taller donde hombres, y quien quiera un banco tranquilo, construyen, reparan y conversan."},
		},
		description: text{
			"Modelled on the men's sheds movement: a community workshop where talking happens naturally while hands are busy. Tools provided, all skill levels. Everyone is welcome on the open Saturday.",
			"Inspirado en el movimiento de los Men's Sheds: un taller comunitario donde la conversación surge con las manos ocupadas. Herramientas disponibles, todos los niveles. El sábado abierto puede venir cualquier persona."},
		expect: text{
			"Projects on the go (birdhouses, bike repair, benches for the community garden) and a coffee break halfway.",
			"Proyectos en marcha (casitas para pájaros, bicis, bancos para el huerto comunitario) y una pausa para el café a mitad de sesión."},
		join: text{"Come by during opening hours; closed-toe shoes, please.", "Pasa en horario de apertura; trae calzado cerrado."},
		cost: text{"Free; materials for personal projects at cost.", "Gratuito; los materiales de proyectos personales, a precio de costo."},
		tags: []string{"cost.no-purchase-needed", "format.drop-in", "care.come-and-go", "identity.sober-space", "format.peer-led"},
	}

	walkingGroup = &kind{
		slug: text{"walking-group", "caminata"},
		name: text{"%s Walking Group", "Caminata vecinal de %s"},
		summaries: []text{
			{"An easy-paced walk and chat around the neighbourhood; nobody gets left behind.",
				"Un paseo a ritmo tranquilo y una charla por el barrio; nadie se queda atrás."},
			{"Fresh air, gentle pace, good company: walks of about an hour, with benches on the way.",
				"Aire libre, paso suave y buena compañía: caminatas de una hora, con bancas por el camino."},
		},
		description: text{
			"A friendly walking group that goes at the pace of the slowest walker. Routes are flat and under 3 km, with a coffee stop. Walking aids, buggies and dogs on leads all welcome.",
			"Un grupo de caminata que va al ritmo de quien camina más despacio. Rutas llanas de menos de 3 km, con parada para un café. Bastones, carriolas y perros con correa, bienvenidos."},
		expect: text{
			"We meet at the entrance, walk for about 50 minutes and finish with an optional coffee.",
			"Nos vemos en la entrada, caminamos unos 50 minutos y terminamos con un café opcional."},
		join: text{"Meet us at the start point; look for the green scarf.", "Encuéntranos en el punto de salida; busca el pañuelo verde."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "format.outdoor", "transit.meet-at-entrance", "format.drop-in",
			"care.companion-welcome", "care.children-welcome", "paperwork.no-sign-up"},
	}

	knitting = &kind{
		slug: text{"knit-and-natter", "circulo-de-tejido"},
		name: text{"%s Knit & Natter", "Círculo de tejido de %s"},
		summaries: []text{
			{"Bring whatever you're making, or learn from scratch with our spare needles and yarn.",
				"Trae lo que estés tejiendo o aprende desde cero con nuestras agujas y estambre."},
			{"A cosy craft circle: knitting, crochet, mending and gentle conversation.",
				"Un círculo de labores acogedor: punto, ganchillo, remiendos y conversación tranquila."},
		},
		description: text{
			"A drop-in craft circle for all ages and abilities. Plenty of people come just for the company.",
			"Un círculo de labores abierto a todas las edades y niveles. Mucha gente viene solo por la compañía."},
		expect: text{
			"Tables, good light and tea; someone is always happy to rescue a dropped stitch.",
			"Mesas, buena luz y té; siempre hay alguien dispuesto a rescatar un punto perdido."},
		join: text{"Drop in anytime during the session.", "Pasa cuando quieras durante la sesión."},
		cost: text{"Free; spare yarn and needles to borrow.", "Gratuito; prestamos agujas y estambre."},
		tags: []string{"cost.free", "cost.no-purchase-needed", "format.drop-in", "care.come-and-go", "format.listening-only-ok"},
	}

	communityMeal = &kind{
		slug: text{"community-supper", "comida-comunitaria"},
		name: text{"%s Community Supper", "Comida comunitaria de %s"},
		summaries: []text{
			{"A hot meal at long tables with neighbours; everyone eats, nobody asks why you came.",
				"Una comida caliente en mesas largas con el vecindario; todo el mundo come y nadie pregunta por qué viniste."},
			{"Come hungry, leave with a full plate and maybe a few new friends.",
				"Ven con hambre y vete con el plato lleno y quizá alguna amistad nueva."},
		},
		description: text{
			"A free, sit-down community meal cooked by volunteers. There's a vegetarian option every week and we label allergens.",
			"Comida comunitaria gratuita, servida en la mesa y cocinada por voluntariado. Siempre hay opción vegetariana y señalamos los alérgenos."},
		expect: text{
			"Doors open half an hour early. Sit anywhere; volunteers bring food to the table.",
			"Abrimos media hora antes. Siéntate donde quieras; el voluntariado te sirve en la mesa."},
		join: text{
			"Just come. Takeaway boxes are there if you'd rather eat at home.",
			"Solo ven. Hay envases para llevar si prefieres comer en casa."},
		cost: text{"Free; donations welcome but never expected.", "Gratuita; los donativos se agradecen, pero nunca se esperan."},
		tags: []string{"cost.free", "cost.no-purchase-needed", "paperwork.no-id", "paperwork.no-sign-up",
			"paperwork.no-immigration-questions", "care.children-welcome", "format.drop-in"},
	}

	deafCoffee = &kind{
		slug: text{"deaf-coffee", "cafe-signante"},
		name: text{"%s Deaf Coffee", "Café signante de %s"},
		summaries: []text{
			{"Deaf, hard of hearing, signers and learners: coffee and conversation in {sign}.",
				"Personas sordas, con hipoacusia, intérpretes y aprendices: café y conversación en {sign}."},
			{"A relaxed signing social: come to chat, catch up and meet new people.",
				"Un encuentro signante relajado: ven a conversar, ponerte al día y conocer gente nueva."},
		},
		description: text{
			"A social run by Deaf community members. Voices off is the norm; learners of every level are welcome as long as they're up for signing.",
			"Encuentro social organizado por personas de la comunidad sorda. Aquí se conversa en {sign}; quienes están aprendiendo, de cualquier nivel, son bienvenidos si se animan a signar."},
		expect: text{
			"Big tables, good light, no music. Order at the counter or don't; nobody minds.",
			"Mesas grandes, buena luz y sin música. Puedes pedir algo en la barra o no; a nadie le importa."},
		join:   text{"Just come; look for the table with the blue card.", "Solo ven; busca la mesa con la tarjeta azul."},
		cost:   text{"Free to come; buy a drink if you'd like.", "Entrada libre; consume algo si quieres."},
		tags:   []string{"cost.no-purchase-needed", "format.drop-in", "care.come-and-go"},
		signed: true,
	}

	soberSocial = &kind{
		slug: text{"sober-social", "encuentro-sin-alcohol"},
		name: text{"%s Sober Social", "Encuentro sin alcohol de %s"},
		summaries: []text{
			{"Board games, mocktails and good music: a night out that doesn't revolve around drinking.",
				"Juegos de mesa, bebidas sin alcohol y buena música: una salida que no gira en torno a beber."},
			{"For anyone sober, sober-curious or just not drinking tonight.",
				"Para quien no bebe, está pensando en dejarlo o simplemente hoy no quiere beber."},
		},
		description: text{
			"A social club, not a meeting: nobody asks why you're not drinking. Alcohol-free venue, a different activity each time.",
			"Un club social, no una reunión: nadie pregunta por qué no bebes. Espacio sin alcohol y una actividad distinta cada vez."},
		expect: text{
			"Doors open at the start time; games and zero-proof drinks from the bar; stay ten minutes or all night.",
			"Abrimos a la hora indicada; juegos y bebidas sin alcohol en la barra; quédate diez minutos o toda la noche."},
		join: text{"Just turn up.", "Solo preséntate."},
		cost: text{"Pay what you can; suggested $5, nobody turned away.", "Aporta lo que puedas; nadie se queda fuera por no pagar."},
		tags: []string{"identity.sober-space", "cost.pay-what-you-can", "format.drop-in", "care.come-and-go"},
	}

	suicideLoss = &kind{
		slug: text{"suicide-loss-support", "duelo-por-suicidio"},
		name: text{"%s Survivors of Suicide Loss Group", "Grupo de duelo por suicidio de %s"},
		summaries: []text{
			{"For people who have lost someone to suicide: a place where you can say it out loud.",
				"Para quienes han perdido a alguien por suicidio: un lugar donde puedes decirlo en voz alta."},
			{"Grief after suicide is its own kind of grief. You don't have to carry it alone.",
				"El duelo tras un suicidio es un duelo distinto. No tienes que llevarlo en soledad."},
		},
		description: text{
			"A peer group for adults bereaved by suicide, facilitated by two people who have lost someone themselves. However long ago it happened, you belong here.",
			"Grupo entre pares para personas adultas en duelo por suicidio, facilitado por dos personas que también perdieron a alguien. Haga el tiempo que haga, este es tu lugar."},
		expect: text{
			"Introductions (your name and who you lost, if you want), then sharing. A facilitator can step out with anyone who needs a moment.",
			"Presentaciones (tu nombre y a quién perdiste, si quieres) y luego compartir. Alguien del equipo puede salir contigo si necesitas un momento."},
		join: text{
			"Please email or call before your first time so a facilitator can meet you at the door.",
			"Escríbenos o llámanos antes de venir por primera vez para que alguien te reciba en la puerta."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "format.peer-led", "format.small-group", "format.listening-only-ok",
			"paperwork.first-names-only", "identity.faith-neutral"},
		contactFirst: true,
	}

	disabilityLed = &kind{
		slug: text{"disabled-peoples-meetup", "encuentro-discapacidad"},
		name: text{"%s Disabled People's Meetup", "Encuentro de personas con discapacidad de %s"},
		summaries: []text{
			{"A disability-led social where access needs are the starting point, not an afterthought.",
				"Un encuentro organizado por personas con discapacidad, donde la accesibilidad es el punto de partida."},
			{"Meet other disabled people to talk, organize and have fun, on our own terms.",
				"Conoce a otras personas con discapacidad para hablar, organizarse y pasarlo bien, a nuestra manera."},
		},
		description: text{
			"Run by and for disabled people: physical, sensory, intellectual, psychosocial, chronically ill, all of us. Access requests are collected in advance and honoured.",
			"Organizado por y para personas con discapacidad: física, sensorial, intelectual, psicosocial, con enfermedad crónica, todas. Recogemos las necesidades de accesibilidad con antelación y las cumplimos."},
		expect: text{
			"An access check at the start, then a mix of social time and a topic (benefits, dating, transport, activism).",
			"Una ronda de accesibilidad al inicio y luego tiempo social y un tema (ayudas, citas, transporte, activismo)."},
		join: text{
			"Just come. Tell us about any access needs by email and we'll sort it.",
			"Solo ven. Cuéntanos por correo lo que necesitas para participar y lo organizamos."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "lang.plain-language", "care.companion-welcome", "care.come-and-go", "format.peer-led",
			"lang.sign-interpreting=partly:interpreter on request, ask a week ahead|intérprete a pedido, avisa con una semana"},
	}

	survivorsCircle = &kind{
		slug: text{"survivors-circle", "circulo-de-sobrevivientes"},
		name: text{"%s Survivors' Circle", "Círculo de sobrevivientes de %s"},
		summaries: []text{
			{"A confidential peer circle for people who have lived through abuse in a relationship.",
				"Un círculo confidencial entre pares para quien ha vivido violencia en la pareja."},
			{"Be believed, be heard and rebuild at your own pace, among others who have been there.",
				"Aquí se te cree y se te escucha; reconstruye a tu ritmo junto a otras personas que han pasado por lo mismo."},
		},
		description: text{
			"A peer support circle for survivors of domestic and intimate partner violence. The location is shared privately to keep everyone safe. This is not a crisis service, but facilitators can share crisis lines anytime.",
			"Círculo de apoyo entre pares para sobrevivientes de violencia doméstica y en la pareja. La dirección se comparte en privado para cuidar a todas las personas. No es un servicio de crisis, pero el equipo puede darte líneas de ayuda en cualquier momento."},
		expect: text{
			"A small group, mostly the same faces each week, tea and a quiet room.",
			"Un grupo pequeño, casi siempre las mismas caras, té y una sala tranquila."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "paperwork.first-names-only", "paperwork.no-id", "format.small-group", "format.peer-led",
			"care.childcare=partly:childcare in the next room, ask a week ahead|cuidado infantil en la sala de al lado, avisa con una semana"},
		contactFirst: true,
	}

	neurodivergent = &kind{
		slug: text{"neurodivergent-social", "encuentro-neurodivergente"},
		name: text{"%s Neurodivergent Adults Social", "Encuentro neurodivergente de %s"},
		summaries: []text{
			{"A low-pressure social for autistic, ADHD and otherwise neurodivergent adults; info-dumping encouraged.",
				"Un encuentro sin presión para personas adultas autistas, con TDAH u otras neurodivergencias; hablar de tus temas favoritos está más que permitido."},
			{"Quiet tables, clear plans and no small-talk obligations.",
				"Mesas tranquilas, planes claros y sin obligación de charla trivial."},
		},
		description: text{
			"Organized by neurodivergent adults. The plan is sent in advance, the lighting is soft and there's a quiet room. Self-identified folks very welcome.",
			"Organizado por personas adultas neurodivergentes. Enviamos el plan con antelación, la luz es suave y hay una sala tranquila. Si te identificas sin diagnóstico, también es tu lugar."},
		expect: text{
			"Name badges with colour codes (green: happy to chat, yellow: only people I know, red: just here to be here), board games, a special-interest show-and-tell.",
			"Gafetes con colores (verde: me apetece charlar, amarillo: solo con gente conocida, rojo: solo vengo a estar), juegos de mesa y un rato para contar tus temas favoritos."},
		join: text{"Just come, or email for the plan first.", "Solo ven, o escríbenos para recibir el plan antes."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"lang.plain-language", "format.small-group", "care.come-and-go", "format.listening-only-ok",
			"identity.sober-space", "sensory.low-light"},
	}

	memoryCafe = &kind{
		slug: text{"memory-cafe", "cafe-de-la-memoria"},
		name: text{"%s Memory Café", "Café de la memoria de %s"},
		summaries: []text{
			{"A relaxed afternoon for people living with memory loss and the people who love them.",
				"Una tarde tranquila para personas con pérdida de memoria y quienes las quieren."},
			{"Music, coffee and conversation where memory loss is understood and nobody has to explain.",
				"Música, café y conversación donde la pérdida de memoria se entiende y nadie tiene que dar explicaciones."},
		},
		description: text{
			"For people living with dementia or memory loss and their care partners, together. Volunteers host; a volunteer nurse is often there for questions.",
			"Para personas que viven con demencia o pérdida de memoria y quienes las acompañan, juntas. Lo organiza voluntariado; a menudo viene una enfermera voluntaria para resolver dudas."},
		expect: text{
			"Coffee and cake, a little music or a gentle activity, and time to talk.",
			"Café y algo dulce, un poco de música o una actividad sencilla y tiempo para conversar."},
		join: text{"Drop in, together or on your own.", "Ven cuando quieras, en compañía o sin ella."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "care.companion-welcome", "format.drop-in", "lang.plain-language", "identity.faith-neutral"},
	}

	eldersSocial = &kind{
		slug: text{"tea-and-company", "tertulia-de-mayores"},
		name: text{"%s Tea & Company", "Tertulia de mayores de %s"},
		summaries: []text{
			{"An afternoon of tea, cards and conversation for over-60s who'd like more company.",
				"Una tarde de café, cartas y conversación para mayores de 60 que quieran más compañía."},
			{"Some days are long. Pull up a chair; there's always someone to talk with.",
				"Hay días que se hacen largos. Acerca una silla: siempre hay alguien con quien hablar."},
		},
		description: text{
			"A weekly social for older neighbours, especially anyone living alone. Volunteers can walk you home.",
			"Un encuentro semanal para personas mayores del barrio, sobre todo para quien vive sola. El voluntariado puede acompañarte a casa."},
		expect: text{
			"Tea and biscuits, cards and dominoes, a chat with whoever's at your table.",
			"Café y galletas, cartas y dominó, y charla con quien esté en tu mesa."},
		join: text{"Just come along.", "Solo ven."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "format.drop-in", "care.companion-welcome", "cost.no-purchase-needed"},
	}

	familyRecovery = &kind{
		slug: text{"families-in-recovery", "familias-en-recuperacion"},
		name: text{"%s Families in Recovery", "Familias en recuperación de %s"},
		summaries: []text{
			{"For parents, partners and friends of someone who uses drugs or alcohol: support without blame.",
				"Para madres, padres, parejas y amistades de alguien que consume alcohol u otras drogas: apoyo sin culpas."},
			{"Love someone who uses? Learn, vent and find your footing with other families.",
				"¿Quieres a alguien que consume? Aprende, desahógate y encuentra tu lugar con otras familias."},
		},
		description: text{
			"A peer group for family members, grounded in the CRAFT approach and friendly to harm reduction: we share naloxone and talk about staying connected.",
			"Grupo entre pares para familiares, basado en el enfoque CRAFT y abierto a la reducción de daños: compartimos naloxona y hablamos de cómo mantener el vínculo."},
		expect: text{
			"A check-in, a short skill for the week, then open sharing.",
			"Una ronda inicial, una herramienta breve para la semana y luego espacio abierto."},
		join: text{"Come along; no need to call first.", "Ven sin avisar; no hace falta llamar antes."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "format.peer-led", "paperwork.first-names-only", "identity.faith-neutral", "format.listening-only-ok"},
	}

	mensTalk = &kind{
		slug: text{"mens-talking-circle", "circulo-de-hombres"},
		name: text{"%s Men's Talking Circle", "Círculo de hombres de %s"},
		summaries: []text{
			{"Men talking honestly about life, stress and feelings: no fixing, no judgement.",
				"Hombres hablando con honestidad de la vida, el estrés y lo que sienten, sin juicios."},
			{"A space for men to be real with each other, over coffee.",
				"Un espacio para que los hombres hablen de verdad entre ellos, con un café."},
		},
		description: text{
			"A peer circle for men of every background. Nobody has to talk; most people find they want to.",
			"Un círculo entre pares para hombres de todos los orígenes. Nadie está obligado a hablar; la mayoría acaba queriendo hacerlo."},
		expect: text{
			"A round of one word for how you're doing, then open talk. Two facilitators, same faces most weeks.",
			"Una ronda de una palabra sobre cómo estás y luego conversación abierta. Dos personas facilitan; casi siempre las mismas caras."},
		join: text{"Walk in; first-timers welcome every week.", "Entra sin más; cada semana hay gente nueva."},
		cost: text{"Free.", "Gratuito."},
		tags: []string{"cost.free", "format.peer-led", "format.small-group", "paperwork.first-names-only", "format.listening-only-ok"},
	}
)

// withDescription is a copy of k with its own description: a group that is one of
// a kind but not described by the kind's words.
func (k *kind) withDescription(description text) *kind {
	c := *k
	c.description = description
	return &c
}
