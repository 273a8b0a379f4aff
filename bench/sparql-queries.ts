/**
 * Queries map and research clients send, shared by the SPARQL benchmark and the tests that hold the
 * record-by-record answers to the general engine's. Written with the SEA's ESSGLOBAL base, as the
 * clients write them (every base answers, ADR 20).
 */
export const PREFIXES = `PREFIX essglobal: <https://w3id.solidarityeconomy.coop/essglobal/V2a/vocab/>
PREFIX gr: <http://purl.org/goodrelations/v1#>
PREFIX dc: <http://purl.org/dc/terms/> PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX rov: <http://www.w3.org/ns/regorg#>
PREFIX vcard: <http://www.w3.org/2006/vcard/ns#> PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>`;

/** The map client's data query as it writes it: each address part its own OPTIONAL. */
export const MAP_QUERY = `${PREFIXES}
SELECT ?initiative ?name ?desc ?www ?primaryActivity ?regorg ?street ?locality ?region ?postcode ?country ?lat ?lng
WHERE {
  ?initiative rdf:type essglobal:SSEInitiative ; gr:name ?name .
  OPTIONAL { ?initiative dc:description ?desc }
  OPTIONAL { ?initiative foaf:homepage ?www }
  OPTIONAL { ?initiative essglobal:primarySector ?primaryActivity }
  OPTIONAL { ?initiative rov:hasRegisteredOrganization ?regorg }
  OPTIONAL { ?initiative essglobal:hasAddress ?addr . ?addr vcard:street-address ?street }
  OPTIONAL { ?initiative essglobal:hasAddress ?addr . ?addr vcard:locality ?locality }
  OPTIONAL { ?initiative essglobal:hasAddress ?addr . ?addr vcard:region ?region }
  OPTIONAL { ?initiative essglobal:hasAddress ?addr . ?addr vcard:postal-code ?postcode }
  OPTIONAL { ?initiative essglobal:hasAddress ?addr . ?addr vcard:country-name ?country }
  OPTIONAL { ?initiative essglobal:hasAddress ?addr . ?addr geo:lat ?lat }
  OPTIONAL { ?initiative essglobal:hasAddress ?addr . ?addr geo:long ?lng }
} ORDER BY ?name`;
/** The same with the address OPTIONALs nested in one. */
export const MAP_QUERY_NESTED = `${PREFIXES}
SELECT ?initiative ?name ?desc ?www ?primaryActivity ?regorg ?street ?locality ?region ?postcode ?country ?lat ?lng
WHERE {
  ?initiative rdf:type essglobal:SSEInitiative ; gr:name ?name .
  OPTIONAL { ?initiative dc:description ?desc }
  OPTIONAL { ?initiative foaf:homepage ?www }
  OPTIONAL { ?initiative essglobal:primarySector ?primaryActivity }
  OPTIONAL { ?initiative rov:hasRegisteredOrganization ?regorg }
  OPTIONAL { ?initiative essglobal:hasAddress ?addr .
    OPTIONAL { ?addr vcard:street-address ?street } OPTIONAL { ?addr vcard:locality ?locality }
    OPTIONAL { ?addr vcard:region ?region }
    OPTIONAL { ?addr vcard:postal-code ?postcode } OPTIONAL { ?addr vcard:country-name ?country }
    OPTIONAL { ?addr geo:lat ?lat } OPTIONAL { ?addr geo:long ?lng } }
} ORDER BY ?name`;
