package seed

// synCity is a city the synthetic generator scatters listings around: points fall
// around the centre with a spread (standard deviation) of spread degrees.
type synCity struct {
	name, region, country, timeZone string
	lat, lng, spread                float64
	spanish                         float64 // share of listings written in Spanish
	hoods, streets                  []string
	languages                       []string // spoken or signed besides English and Spanish
}

var synCities = []synCity{
	{"Chicago", "IL", "US", "America/Chicago", 41.8781, -87.6298, 0.07, 0.2,
		[]string{"Logan Square", "Pilsen", "Uptown", "Hyde Park", "Rogers Park", "Bronzeville", "Wicker Park", "Little Village", "Chinatown", "Albany Park", "Humboldt Park", "Lakeview", "Austin", "Edgewater"},
		[]string{"N Milwaukee Ave", "W 18th St", "N Broadway", "E 53rd St", "N Clark St", "S King Dr", "W Division St", "N Kedzie Ave", "W Lawrence Ave", "S Halsted St"},
		[]string{"pl", "zh", "ar", "vi", "ase", "ko", "tl"}},
	{"Los Angeles", "CA", "US", "America/Los_Angeles", 34.0522, -118.2437, 0.09, 0.3,
		[]string{"Boyle Heights", "Koreatown", "Echo Park", "Highland Park", "Leimert Park", "Westlake", "Van Nuys", "Venice", "Watts", "Silver Lake", "Eagle Rock", "Pico-Union", "Hollywood"},
		[]string{"Sunset Blvd", "Wilshire Blvd", "N Figueroa St", "Crenshaw Blvd", "Van Nuys Blvd", "E Cesar E Chavez Ave", "S Western Ave", "Venice Blvd", "S Vermont Ave"},
		[]string{"ko", "tl", "zh", "ja", "vi", "fa", "ase"}},
	{"Madrid", "Comunidad de Madrid", "ES", "Europe/Madrid", 40.4168, -3.7038, 0.035, 0.95,
		[]string{"Lavapiés", "Malasaña", "Chueca", "Tetuán", "Vallecas", "Carabanchel", "Usera", "Chamberí", "Arganzuela", "Latina", "Moratalaz", "Ciudad Lineal", "Hortaleza", "Villaverde"},
		[]string{"Calle de Alcalá", "Calle de Bravo Murillo", "Calle del General Ricardos", "Avenida de la Albufera", "Calle de Toledo", "Calle de Atocha", "Calle de Embajadores", "Paseo de Extremadura"},
		[]string{"ar", "zh", "ro", "ssp", "fr", "pt", "uk"}},
	{"Ciudad de México", "CDMX", "MX", "America/Mexico_City", 19.4326, -99.1332, 0.06, 0.97,
		[]string{"Roma Norte", "Condesa", "Coyoacán", "Centro Histórico", "Doctores", "Iztapalapa", "Tlalpan", "Santa María la Ribera", "Del Valle", "Narvarte", "Azcapotzalco", "Xochimilco", "Tacubaya", "Portales"},
		[]string{"Av. Insurgentes Sur", "Calzada de Tlalpan", "Av. Álvaro Obregón", "Av. Universidad", "Calzada Ermita Iztapalapa", "Av. Cuauhtémoc", "Eje Central Lázaro Cárdenas", "Av. Revolución"},
		[]string{"nah", "mfs", "ht", "fr", "yua"}},
	{"New York", "NY", "US", "America/New_York", 40.7128, -73.9560, 0.08, 0.25,
		[]string{"Harlem", "Washington Heights", "Astoria", "Flushing", "Bushwick", "Sunset Park", "Jackson Heights", "Bed-Stuy", "Mott Haven", "Crown Heights", "Inwood", "Park Slope"},
		[]string{"Broadway", "Amsterdam Ave", "5th Ave", "Roosevelt Ave", "Nostrand Ave", "Myrtle Ave", "Grand Concourse", "Steinway St"},
		[]string{"zh", "ht", "ru", "bn", "ko", "ase", "pl", "ar"}},
	{"Houston", "TX", "US", "America/Chicago", 29.7604, -95.3698, 0.09, 0.35,
		[]string{"Montrose", "Third Ward", "East End", "Gulfton", "Alief", "The Heights", "Second Ward", "Sharpstown", "Northside"},
		[]string{"Westheimer Rd", "Navigation Blvd", "Bellaire Blvd", "Main St", "Telephone Rd", "Airline Dr"},
		[]string{"vi", "zh", "ar", "ur", "ase"}},
	{"Phoenix", "AZ", "US", "America/Phoenix", 33.4484, -112.0740, 0.09, 0.3,
		[]string{"Maryvale", "Encanto", "Arcadia", "Sunnyslope", "Coronado", "South Mountain", "Garfield"},
		[]string{"N 7th Ave", "W McDowell Rd", "E Indian School Rd", "N 16th St", "W Thomas Rd"},
		[]string{"nv", "ar", "ase"}},
	{"Seattle", "WA", "US", "America/Los_Angeles", 47.6062, -122.3321, 0.05, 0.1,
		[]string{"Capitol Hill", "Ballard", "Beacon Hill", "Rainier Valley", "Fremont", "University District", "Columbia City", "Georgetown"},
		[]string{"Rainier Ave S", "15th Ave E", "NW Market St", "Beacon Ave S", "University Way NE", "Aurora Ave N"},
		[]string{"so", "am", "ti", "vi", "zh", "tl", "ase"}},
	{"Denver", "CO", "US", "America/Denver", 39.7392, -104.9903, 0.06, 0.2,
		[]string{"Capitol Hill", "Five Points", "Westwood", "Highland", "Montbello", "Baker", "Sun Valley"},
		[]string{"E Colfax Ave", "Federal Blvd", "S Broadway", "Welton St", "Morrison Rd"},
		[]string{"am", "ne", "ar", "ase"}},
	{"Atlanta", "GA", "US", "America/New_York", 33.7490, -84.3880, 0.07, 0.1,
		[]string{"Old Fourth Ward", "West End", "Kirkwood", "Little Five Points", "Grant Park", "Adair Park", "Buford Highway"},
		[]string{"Edgewood Ave", "Ralph David Abernathy Blvd", "Buford Hwy NE", "Ponce de Leon Ave", "Peachtree St"},
		[]string{"ko", "vi", "am", "ase"}},
	{"Toronto", "ON", "CA", "America/Toronto", 43.6532, -79.3832, 0.06, 0.08,
		[]string{"Kensington Market", "Parkdale", "Regent Park", "Scarborough Village", "St. James Town", "Little Portugal", "Thorncliffe Park", "The Danforth"},
		[]string{"Queen St W", "Dundas St W", "Danforth Ave", "Bathurst St", "Kingston Rd", "Thorncliffe Park Dr"},
		[]string{"fr", "pt", "zh", "ta", "ur", "tl", "so", "ase"}},
	{"London", "England", "GB", "Europe/London", 51.5074, -0.1278, 0.07, 0.05,
		[]string{"Brixton", "Hackney", "Peckham", "Whitechapel", "Camden", "Lewisham", "Southall", "Walthamstow", "Deptford"},
		[]string{"Mare St", "Coldharbour Lane", "Rye Lane", "Whitechapel Rd", "Camden High St", "Lewisham Way", "The Broadway", "Hoe St"},
		[]string{"bn", "pa", "ur", "pl", "so", "bfi", "ar", "tr"}},
	{"Barcelona", "Catalunya", "ES", "Europe/Madrid", 41.3874, 2.1686, 0.035, 0.85,
		[]string{"El Raval", "Gràcia", "Sants", "Poblenou", "El Clot", "Sant Andreu", "Nou Barris", "Horta", "La Barceloneta"},
		[]string{"Carrer de Sants", "Carrer Gran de Gràcia", "Rambla del Raval", "Carrer de Pere IV", "Passeig de Maragall", "Carrer Gran de Sant Andreu"},
		[]string{"ca", "ur", "ar", "csc", "ro"}},
	{"Valencia", "Comunitat Valenciana", "ES", "Europe/Madrid", 39.4699, -0.3763, 0.03, 0.9,
		[]string{"Russafa", "El Cabanyal", "Benimaclet", "Patraix", "Orriols", "El Carme", "Campanar"},
		[]string{"Carrer de Sueca", "Avinguda del Port", "Carrer de Cuba", "Avinguda de Blasco Ibáñez", "Carrer de Sant Vicent Màrtir"},
		[]string{"ca", "ro", "ar", "ssp"}},
	{"Guadalajara", "Jalisco", "MX", "America/Mexico_City", 20.6597, -103.3496, 0.05, 0.97,
		[]string{"Centro", "Americana", "Chapultepec", "Santa Tere", "Oblatos", "Providencia", "Mezquitán"},
		[]string{"Av. Juárez", "Av. Chapultepec", "Av. Federalismo", "Av. Vallarta", "Calzada Independencia", "Av. Hidalgo"},
		[]string{"mfs", "nah"}},
	{"Monterrey", "Nuevo León", "MX", "America/Monterrey", 25.6866, -100.3161, 0.05, 0.97,
		[]string{"Centro", "Barrio Antiguo", "Obispado", "Mitras Centro", "Independencia", "Contry", "Tecnológico"},
		[]string{"Av. Constitución", "Av. Juárez", "Calzada Madero", "Av. Pino Suárez", "Av. Garza Sada", "Av. Morones Prieto"},
		[]string{"mfs"}},
}

// synKinds are the sorts of group the generator draws from: the demo's own.
var synKinds = []*kind{peerSupport, griefCircle, recovery, newParents, lgbtqYouth, transPeer, caregivers,
	conversation, chronicIllness, chronicPain, hearingVoices, mensShed, walkingGroup, knitting, communityMeal,
	deafCoffee, soberSocial, suicideLoss, disabilityLed, survivorsCircle, neurodivergent, memoryCafe,
	eldersSocial, familyRecovery, mensTalk}

var (
	synDays = []text{{"Monday", "los lunes"}, {"Tuesday", "los martes"}, {"Wednesday", "los miércoles"},
		{"Thursday", "los jueves"}, {"Friday", "los viernes"}, {"Saturday", "los sábados"}, {"Sunday", "los domingos"}}
	synParts = []text{{"Morning", "por la mañana"}, {"Afternoon", "por la tarde"}, {"Evening", "por la noche"}}

	synExtras = []text{
		{"Tea and snacks provided.", "Hay té y algo de picar."},
		{"New faces every week.", "Cada semana llega gente nueva."},
		{"Come as you are.", "Ven tal como estés."},
		{"No experience needed.", "No hace falta experiencia."},
		{"Bring a friend if that helps.", "Puedes venir con alguien si te ayuda."},
		{"There's a quiet corner if you need a break.", "Hay un rincón tranquilo si necesitas un respiro."},
	}

	synPartlyNotes = []text{
		{"one small step at the door", "un escalón pequeño en la puerta"},
		{"on request, ask a week ahead", "a pedido, avisa con una semana"},
		{"call first and we'll arrange it", "llama antes y lo organizamos"},
		{"some weeks only", "solo algunas semanas"},
		{"in the room next door", "en la sala de al lado"},
		{"ramp at the side entrance", "rampa en la entrada lateral"},
		{"not at every session", "no en todas las sesiones"},
	}

	synVenues = []text{
		{"%s Community Center", "Centro Comunitario %s"},
		{"%s Library, meeting room", "Biblioteca %s, sala de usos múltiples"},
		{"%s Neighborhood House", "Casa Vecinal %s"},
		{"%s Recreation Center", "Centro Cívico %s"},
		{"%s Family Center", "Centro de Familias %s"},
	}

	synTransit = []text{
		{"%d min walk from the nearest bus stop", "A %d min a pie de la parada de autobús más cercana"},
		{"%d min walk from the train station", "A %d min a pie de la estación de tren o metro"},
	}

	synOrgFirst = []text{
		{"%s Community", "Red Vecinal de %s"},
		{"%s Neighbors", "Colectivo Comunitario de %s"},
		{"%s Peer", "Asociación de Apoyo Mutuo de %s"},
		{"%s Wellness", "Círculo Entre Pares de %s"},
		{"%s Mutual Aid", "Proyecto Acompañar %s"},
	}
	synOrgSecond = []string{"Network", "Collective", "Association", "Circle", "Project", "Alliance"}

	synPlatforms = []string{"Zoom", "Jitsi Meet", "Google Meet", "Microsoft Teams", "Discord"}
)

// synPhone is a made-up number in a range kept for fiction in each country.
var synPhone = map[string]string{
	"US": "+1 555 01%02d", "CA": "+1 555 01%02d", "ES": "+34 910 555 0%02d",
	"MX": "+52 55 5555 01%02d", "GB": "+44 20 7946 0%03d",
}
