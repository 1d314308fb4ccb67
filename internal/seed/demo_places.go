package seed

// city is one of the four demo cities. Phone is the prefix of the made-up local
// numbers its organizations use (555-01xx in North America is reserved for fiction).
type city struct {
	name, region, country, timeZone string
	phone                           string
	// bounds is south, west, north, east: every demo point in the city lies inside.
	bounds [4]float64
}

var (
	chicago    = &city{"Chicago", "IL", "US", "America/Chicago", "(312) 555-01", [4]float64{41.64, -87.94, 42.03, -87.52}}
	losAngeles = &city{"Los Angeles", "CA", "US", "America/Los_Angeles", "(213) 555-01", [4]float64{33.70, -118.67, 34.34, -118.15}}
	madrid     = &city{"Madrid", "Comunidad de Madrid", "ES", "Europe/Madrid", "+34 910 555 0", [4]float64{40.31, -3.89, 40.56, -3.52}}
	mexicoCity = &city{"Ciudad de México", "CDMX", "MX", "America/Mexico_City", "+52 55 5555 01", [4]float64{19.05, -99.37, 19.59, -98.94}}
)

// cities lists the demo cities in the order the demo data is written.
var cities = []*city{chicago, losAngeles, madrid, mexicoCity}

// venue is a real neighbourhood with a plausible meeting place on a real street
// (the street numbers and venue names are made up). Text fields that differ by
// language are written "English|Spanish"; tags are what the place itself offers,
// in the notation parseTag reads.
type venue struct {
	city     *city
	hood     string
	name     string
	address  string
	postal   string
	lat, lng float64
	transit  string
	tags     []string
}

var venues = map[string]venue{
	// Chicago
	"chi-logan": {chicago, "Logan Square", "Kedzie Commons, community room", "2541 N Kedzie Blvd", "60647",
		41.9279, -87.7069, "Blue Line to Logan Square, 4 min walk|Línea Azul hasta Logan Square, 4 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.accessible-toilet", "access.seating-with-backs"}},
	"chi-pilsen": {chicago, "Pilsen", "Casa del Barrio, back hall", "1850 W 18th St", "60608",
		41.8577, -87.6742, "Pink Line to 18th, 3 min walk; the #18 bus stops outside|Línea Rosa hasta 18th, 3 min a pie; el autobús #18 para enfrente",
		[]string{"transit.near-stop", "access.step-free=partly:one 5 cm step at the door|un escalón de 5 cm en la puerta", "care.changing-table"}},
	"chi-uptown": {chicago, "Uptown", "Argyle Street Neighbors Hall", "1110 W Argyle St", "60640",
		41.9732, -87.6580, "Red Line to Argyle, 2 min walk|Línea Roja hasta Argyle, 2 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.accessible-toilet", "access.all-gender-toilet", "sensory.hearing-loop"}},
	"chi-hydepark": {chicago, "Hyde Park", "53rd Street Friends Meeting Room", "1420 E 53rd St", "60615",
		41.7995, -87.5900, "Metra Electric to 53rd St, 6 min walk; #6 Jackson Park Express|Metra Electric hasta 53rd St, 6 min a pie; autobús #6",
		[]string{"access.step-free", "access.accessible-toilet", "access.seating-with-backs", "sensory.quiet-space"}},
	"chi-promontory": {chicago, "Hyde Park", "Promontory Point, at the 55th St underpass", "5491 S Shore Dr", "60615",
		41.7947, -87.5799, "#6 bus to 55th & Lake Park, then through the underpass; Metra to 55th-56th-57th, 8 min walk|Autobús #6 hasta 55th y Lake Park; Metra hasta 55th-56th-57th, 8 min a pie",
		[]string{"transit.parking", "access.accessible-toilet=partly:fieldhouse toilets, open May to October|baños del parque, abiertos de mayo a octubre"}},
	"chi-rogers": {chicago, "Rogers Park", "Morse Avenue Community Center", "1418 W Morse Ave", "60626",
		42.0080, -87.6672, "Red Line to Morse, 3 min walk|Línea Roja hasta Morse, 3 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.all-gender-toilet",
			"sensory.scent-free=partly:we ask everyone to skip perfume; the building itself isn't scent-free|pedimos no usar perfume; el edificio no está libre de olores"}},
	"chi-bronzeville": {chicago, "Bronzeville", "King Drive Community Room", "4655 S Martin Luther King Dr", "60653",
		41.8098, -87.6160, "Green Line to 47th, 7 min walk; #3 King Drive bus|Línea Verde hasta 47th, 7 min a pie; autobús #3",
		[]string{"access.step-free", "access.accessible-toilet", "transit.parking", "access.seating-with-backs"}},
	"chi-wicker": {chicago, "Wicker Park", "Damen Avenue Arts Loft, 2nd floor", "1620 N Damen Ave", "60647",
		41.9112, -87.6775, "Blue Line to Damen, 5 min walk|Línea Azul hasta Damen, 5 min a pie",
		[]string{"transit.near-stop", "access.step-free=partly:the lift to the 2nd floor is small; fits most wheelchairs but not large scooters|el elevador es pequeño: cabe la mayoría de sillas de ruedas, pero no los scooters grandes",
			"access.all-gender-toilet", "sensory.low-light"}},
	"chi-littlevillage": {chicago, "Little Village", "La Villita Community Hub", "3210 W 26th St", "60623",
		41.8444, -87.7058, "The #60 bus stops outside; Pink Line to Kedzie, 15 min walk|El autobús #60 para enfrente; Línea Rosa hasta Kedzie, 15 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.accessible-toilet", "care.changing-table"}},
	"chi-chinatown": {chicago, "Chinatown", "Wentworth Senior & Family Center", "2245 S Wentworth Ave", "60616",
		41.8520, -87.6320, "Red Line to Cermak-Chinatown, 3 min walk|Línea Roja hasta Cermak-Chinatown, 3 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.accessible-toilet", "access.seating-with-backs", "sensory.hearing-loop"}},
	"chi-albany": {chicago, "Albany Park", "Lawrence Avenue Welcome Center", "3324 W Lawrence Ave", "60625",
		41.9685, -87.7120, "Brown Line to Kedzie, 4 min walk|Línea Café hasta Kedzie, 4 min a pie",
		[]string{"transit.near-stop", "access.step-free", "care.changing-table"}},
	"chi-humboldt": {chicago, "Humboldt Park", "Humboldt Park Boathouse, at the front steps", "1369 N Sacramento Ave", "60622",
		41.9058, -87.7020, "#70 Division bus to Sacramento; Blue Line to California, 15 min walk|Autobús #70 hasta Sacramento; Línea Azul hasta California, 15 min a pie",
		[]string{"transit.parking", "access.accessible-toilet=partly:park washrooms, open in season|baños del parque, abiertos en temporada"}},
	"chi-lakeview": {chicago, "Lakeview", "Belmont Wellness Collective", "3245 N Halsted St", "60657",
		41.9410, -87.6490, "Red, Brown and Purple Lines to Belmont, 8 min walk; #8 Halsted bus|Líneas Roja, Café y Morada hasta Belmont, 8 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.accessible-toilet", "access.all-gender-toilet"}},
	"chi-andersonville": {chicago, "Andersonville", "Clark Street Fellowship Hall", "5315 N Clark St", "60640",
		41.9785, -87.6685, "#22 Clark bus; Red Line to Berwyn, 12 min walk|Autobús #22 Clark; Línea Roja hasta Berwyn, 12 min a pie",
		[]string{"access.step-free=partly:ramp at the side door on Summerdale|rampa en la puerta lateral de Summerdale", "access.accessible-toilet", "access.seating-with-backs"}},

	// Los Angeles
	"la-boyle": {losAngeles, "Boyle Heights", "Mariachi Plaza Community Room", "1831 E 1st St", "90033",
		34.0472, -118.2190, "Metro E Line to Mariachi Plaza, 1 min walk|Metro Línea E hasta Mariachi Plaza, 1 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.accessible-toilet", "care.changing-table"}},
	"la-koreatown": {losAngeles, "Koreatown", "Western Avenue Community Hall, room 4", "680 S Western Ave", "90005",
		34.0620, -118.3090, "Metro D Line to Wilshire/Western, 4 min walk|Metro Línea D hasta Wilshire/Western, 4 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.seating-with-backs"}},
	"la-echo": {losAngeles, "Echo Park", "Sunset Neighbors Hall", "1735 W Sunset Blvd", "90026",
		34.0779, -118.2600, "Metro bus 2 or 4 on Sunset, stop at Echo Park Ave|Autobús 2 o 4 por Sunset, parada Echo Park Ave",
		[]string{"transit.near-stop", "access.step-free=partly:two steps at the front; step-free entrance through the parking lot|dos escalones al frente; entrada sin escalones por el estacionamiento", "access.all-gender-toilet"}},
	"la-highland": {losAngeles, "Highland Park", "Figueroa Street Studio", "5710 N Figueroa St", "90042",
		34.1110, -118.1920, "Metro A Line to Highland Park, 5 min walk|Metro Línea A hasta Highland Park, 5 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.all-gender-toilet"}},
	"la-leimert": {losAngeles, "Leimert Park", "Degnan Boulevard Arts Space", "4343 Degnan Blvd", "90008",
		34.0050, -118.3320, "Metro K Line to Leimert Park, 3 min walk|Metro Línea K hasta Leimert Park, 3 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.accessible-toilet", "access.seating-with-backs"}},
	"la-hifi": {losAngeles, "Historic Filipinotown", "Temple Street Community Center", "2416 W Temple St", "90026",
		34.0720, -118.2690, "Metro bus 10 on Temple St, stop at Alvarado|Autobús 10 por Temple St, parada Alvarado",
		[]string{"access.step-free", "transit.parking", "care.changing-table"}},
	"la-westlake": {losAngeles, "Westlake", "MacArthur Park Recreation Room", "2230 W 6th St", "90057",
		34.0590, -118.2770, "Metro B/D Line to Westlake/MacArthur Park, 3 min walk|Metro Línea B/D hasta Westlake/MacArthur Park, 3 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.accessible-toilet"}},
	"la-chinatown": {losAngeles, "Chinatown", "Broadway Plaza Senior Hall", "943 N Broadway", "90012",
		34.0650, -118.2380, "Metro A Line to Chinatown, 4 min walk|Metro Línea A hasta Chinatown, 4 min a pie",
		[]string{"transit.near-stop", "access.step-free", "sensory.hearing-loop", "access.seating-with-backs"}},
	"la-vannuys": {losAngeles, "Van Nuys", "Victory Boulevard Community Room", "14420 Victory Blvd", "91401",
		34.1867, -118.4470, "Metro G Line to Van Nuys, 6 min walk; free parking behind the building|Metro Línea G hasta Van Nuys, 6 min a pie; estacionamiento gratis detrás del edificio",
		[]string{"transit.near-stop", "transit.parking", "access.step-free", "access.accessible-toilet"}},
	"la-venice": {losAngeles, "Venice", "Rose Avenue Community Room", "720 Rose Ave", "90291",
		33.9990, -118.4700, "Metro bus 33 to Main & Rose, 3 min walk|Autobús 33 hasta Main y Rose, 3 min a pie",
		[]string{"access.step-free", "access.all-gender-toilet"}},
	"la-silverlake": {losAngeles, "Silver Lake", "Silver Lake Meadow, north gate", "2300 Silver Lake Blvd", "90039",
		34.0900, -118.2610, "Metro bus 201; street parking on Silver Lake Blvd|Autobús 201; estacionamiento en la calle",
		[]string{"transit.parking", "access.step-free=partly:the paved loop is flat; the meadow itself is grass|el circuito pavimentado es plano; el prado es de pasto"}},
	"la-watts": {losAngeles, "Watts", "103rd Street Community Hall", "10950 S Central Ave", "90059",
		33.9370, -118.2560, "Metro A Line to 103rd St/Watts Towers, 10 min walk|Metro Línea A hasta 103rd St/Watts Towers, 10 min a pie",
		[]string{"access.step-free", "transit.parking", "access.accessible-toilet"}},
	"la-littletokyo": {losAngeles, "Little Tokyo", "First Street Community Room", "244 E 1st St", "90012",
		34.0497, -118.2395, "Metro A/E Line to Little Tokyo/Arts District, 2 min walk|Metro Línea A/E hasta Little Tokyo/Arts District, 2 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.accessible-toilet", "sensory.quiet-space"}},
	"la-hollywood": {losAngeles, "Hollywood", "Selma Avenue Youth Room", "6520 Selma Ave", "90028",
		34.0995, -118.3310, "Metro B Line to Hollywood/Vine, 6 min walk|Metro Línea B hasta Hollywood/Vine, 6 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.all-gender-toilet"}},

	// Madrid
	"mad-lavapies": {madrid, "Lavapiés", "Espacio Vecinal Argumosa", "Calle de Argumosa, 11", "28012",
		40.4083, -3.6987, "Metro Lavapiés (line 3), 3 min walk|Metro Lavapiés (L3), 3 min a pie",
		[]string{"transit.near-stop", "access.step-free=partly:one 5 cm step at the door|un escalón de 5 cm en la puerta", "access.all-gender-toilet"}},
	"mad-malasana": {madrid, "Malasaña", "Centro Comunitario San Vicente Ferrer", "Calle de San Vicente Ferrer, 23", "28004",
		40.4255, -3.7045, "Metro Tribunal (lines 1, 10), 4 min walk|Metro Tribunal (L1, L10), 4 min a pie",
		[]string{"transit.near-stop", "access.step-free=no:three steps at the entrance, no ramp|tres escalones en la entrada, sin rampa"}},
	"mad-chueca": {madrid, "Chueca", "Local Asociativo Hortaleza", "Calle de Hortaleza, 62", "28004",
		40.4235, -3.6985, "Metro Chueca (line 5), 2 min walk|Metro Chueca (L5), 2 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.all-gender-toilet", "access.accessible-toilet"}},
	"mad-tetuan": {madrid, "Tetuán", "Casa de Asociaciones Bravo Murillo", "Calle de Bravo Murillo, 287", "28020",
		40.4590, -3.6985, "Metro Tetuán (line 1), 2 min walk|Metro Tetuán (L1), 2 min a pie",
		[]string{"transit.near-stop", "access.step-free", "care.changing-table", "access.accessible-toilet"}},
	"mad-vallecas": {madrid, "Puente de Vallecas", "Centro Cultural Albufera, sala polivalente", "Avenida de la Albufera, 42", "28038",
		40.3930, -3.6640, "Metro Portazgo (line 1), 5 min walk|Metro Portazgo (L1), 5 min a pie",
		[]string{"access.step-free", "access.accessible-toilet", "access.seating-with-backs", "sensory.hearing-loop"}},
	"mad-tiopio": {madrid, "Puente de Vallecas", "Parque del Cerro del Tío Pío, entrada de la calle Benjamín Palencia", "Calle de Benjamín Palencia, 2", "28038",
		40.3985, -3.6535, "Metro Buenos Aires (line 1), 8 min walk|Metro Buenos Aires (L1), 8 min a pie",
		[]string{"transit.meet-at-entrance"}},
	"mad-carabanchel": {madrid, "Carabanchel", "Asociación Vecinal General Ricardos", "Calle del General Ricardos, 98", "28019",
		40.3860, -3.7250, "Metro Oporto (lines 5, 6), 6 min walk|Metro Oporto (L5, L6), 6 min a pie",
		[]string{"transit.near-stop", "access.step-free=partly:ramp at the side entrance; ring the bell|rampa en la entrada lateral; toca el timbre", "care.changing-table"}},
	"mad-usera": {madrid, "Usera", "Espacio Intercultural Marcelo Usera", "Calle de Marcelo Usera, 55", "28026",
		40.3875, -3.7060, "Metro Usera (line 6), 3 min walk|Metro Usera (L6), 3 min a pie",
		[]string{"transit.near-stop", "access.step-free"}},
	"mad-chamberi": {madrid, "Chamberí", "Sala Santa Engracia", "Calle de Santa Engracia, 110", "28003",
		40.4420, -3.6990, "Metro Ríos Rosas (line 1), 3 min walk|Metro Ríos Rosas (L1), 3 min a pie",
		[]string{"transit.near-stop", "access.step-free", "access.accessible-toilet", "sensory.quiet-space", "access.seating-with-backs"}},
	"mad-retiro": {madrid, "Retiro", "Parque del Retiro, Puerta de la Independencia", "Plaza de la Independencia, 7", "28001",
		40.4200, -3.6880, "Metro Retiro (line 2), 2 min walk|Metro Retiro (L2), 2 min a pie",
		[]string{"transit.near-stop", "transit.meet-at-entrance",
			"access.accessible-toilet=partly:public toilets inside the park, about 10 minutes' walk|aseos públicos dentro del parque, a unos 10 minutos"}},
	"mad-arganzuela": {madrid, "Arganzuela", "Centro de Mayores Paseo de la Chopera", "Paseo de la Chopera, 41", "28045",
		40.3925, -3.6975, "Metro Legazpi (lines 3, 6), 5 min walk|Metro Legazpi (L3, L6), 5 min a pie",
		[]string{"access.step-free", "access.accessible-toilet", "access.seating-with-backs", "sensory.hearing-loop"}},
	"mad-latina": {madrid, "Latina", "Sala Vecinal Puerta del Ángel", "Paseo de Extremadura, 74", "28011",
		40.4100, -3.7270, "Metro Puerta del Ángel (line 6), 2 min walk|Metro Puerta del Ángel (L6), 2 min a pie",
		[]string{"transit.near-stop", "access.step-free", "care.changing-table"}},
	"mad-arguelles": {madrid, "Argüelles", "Centro Sociocultural Princesa", "Calle de la Princesa, 58", "28008",
		40.4300, -3.7150, "Metro Argüelles (lines 3, 4, 6), 3 min walk|Metro Argüelles (L3, L4, L6), 3 min a pie",
		[]string{"transit.near-stop", "access.step-free", "sensory.quiet-space"}},

	// Mexico City
	"cdmx-roma": {mexicoCity, "Roma Norte", "Casa Colima, centro comunitario", "Calle Colima 212", "06700",
		19.4175, -99.1620, "Metrobús Durango (line 1), 4 min walk|Metrobús Durango (L1), 4 min caminando",
		[]string{"transit.near-stop", "access.step-free=partly:one 5 cm step at the door|un escalón de 5 cm en la puerta", "access.all-gender-toilet"}},
	"cdmx-condesa": {mexicoCity, "Condesa", "Foro Vecinal Ámsterdam", "Av. Ámsterdam 155", "06140",
		19.4110, -99.1705, "Metro Chilpancingo (line 9), 8 min walk; Metrobús Sonora|Metro Chilpancingo (L9), 8 min caminando; Metrobús Sonora",
		[]string{"access.step-free", "access.accessible-toilet"}},
	"cdmx-coyoacan": {mexicoCity, "Coyoacán", "Centro Comunitario Francisco Sosa", "Calle Francisco Sosa 171", "04000",
		19.3485, -99.1680, "Metro Viveros (line 3), 12 min walk|Metro Viveros (L3), 12 min caminando",
		[]string{"access.step-free=partly:cobblestones outside; the room itself is step-free|empedrado afuera; el salón no tiene escalones",
			"access.accessible-toilet", "access.seating-with-backs", "sensory.quiet-space"}},
	"cdmx-viveros": {mexicoCity, "Coyoacán", "Viveros de Coyoacán, entrada de Av. Progreso", "Av. Progreso 1", "04100",
		19.3545, -99.1720, "Metro Viveros (line 3), 3 min walk|Metro Viveros (L3), 3 min caminando",
		[]string{"transit.near-stop", "transit.meet-at-entrance",
			"access.accessible-toilet=partly:toilets inside the park, small fee|baños dentro del parque, con cuota"}},
	"cdmx-centro": {mexicoCity, "Centro Histórico", "Salón Regina", "Calle de Regina 56", "06090",
		19.4285, -99.1350, "Metro Isabel la Católica (line 1), 4 min walk|Metro Isabel la Católica (L1), 4 min caminando",
		[]string{"transit.near-stop", "access.step-free=no:second floor, stairs only|segundo piso, solo escaleras"}},
	"cdmx-doctores": {mexicoCity, "Doctores", "Centro de Salud Comunitaria Dr. Lucio", "Calle Dr. Lucio 102", "06720",
		19.4210, -99.1450, "Metro Niños Héroes (line 3), 5 min walk|Metro Niños Héroes (L3), 5 min caminando",
		[]string{"transit.near-stop", "access.step-free", "access.accessible-toilet"}},
	"cdmx-iztapalapa": {mexicoCity, "Iztapalapa", "Centro Comunitario Ermita", "Calzada Ermita Iztapalapa 2950", "09830",
		19.3560, -99.0820, "Metro Cerro de la Estrella (line 8) or Cablebús line 2, 10 min walk|Metro Cerro de la Estrella (L8) o Cablebús L2, 10 min caminando",
		[]string{"access.step-free", "access.accessible-toilet", "care.changing-table", "transit.parking", "access.seating-with-backs"}},
	"cdmx-tlalpan": {mexicoCity, "Tlalpan", "Casa Vecinal Tlalpan Centro", "Calle Madero 48", "14000",
		19.2910, -99.1690, "Metrobús Fuentes Brotantes (line 1), 15 min walk|Metrobús Fuentes Brotantes (L1), 15 min caminando",
		[]string{"transit.parking", "access.step-free"}},
	"cdmx-santamaria": {mexicoCity, "Santa María la Ribera", "Salón vecinal frente a la Alameda", "Calle Dr. Atl 190", "06400",
		19.4510, -99.1580, "Metro San Cosme (line 2), 8 min walk|Metro San Cosme (L2), 8 min caminando",
		[]string{"transit.near-stop", "access.step-free"}},
	"cdmx-delvalle": {mexicoCity, "Del Valle", "Centro Cultural Del Valle", "Calle Pilares 315", "03100",
		19.3820, -99.1690, "Metrobús Parque Hundido (line 1), 7 min walk|Metrobús Parque Hundido (L1), 7 min caminando",
		[]string{"access.step-free", "access.accessible-toilet", "sensory.hearing-loop"}},
	"cdmx-narvarte": {mexicoCity, "Narvarte", "Casa Narvarte", "Calle Cumbres de Maltrata 480", "03020",
		19.3950, -99.1530, "Metro Etiopía (line 3), 6 min walk|Metro Etiopía (L3), 6 min caminando",
		[]string{"transit.near-stop", "access.all-gender-toilet",
			"access.step-free=partly:ramp at the entrance; the corridor inside is narrow|rampa en la entrada; el pasillo interior es angosto"}},
	"cdmx-juarez": {mexicoCity, "Juárez", "Salón Havre", "Calle Havre 64", "06600",
		19.4260, -99.1600, "Metro Insurgentes (line 1), 6 min walk; Metrobús Hamburgo|Metro Insurgentes (L1), 6 min caminando; Metrobús Hamburgo",
		[]string{"transit.near-stop", "access.step-free", "access.all-gender-toilet", "sensory.quiet-space"}},
	"cdmx-azcapotzalco": {mexicoCity, "Azcapotzalco", "Centro Comunitario Azcapotzalco", "Av. Azcapotzalco 605", "02000",
		19.4840, -99.1850, "Metro Azcapotzalco (line 6), 4 min walk|Metro Azcapotzalco (L6), 4 min caminando",
		[]string{"transit.near-stop", "access.step-free", "care.changing-table", "transit.parking"}},
}
