declare module 'iso-3166-2' {
  interface Subdivision {
    type: string;
    name: string;
  }
  interface CountryInfo {
    name: string;
    code: string;
    sub: Record<string, Subdivision>;
  }
  const iso3166: {
    country(code: string): CountryInfo | null | undefined;
    data: Record<string, CountryInfo>;
  };
  export default iso3166;
}
