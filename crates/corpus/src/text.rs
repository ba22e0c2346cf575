//! Han text: names, addresses, company names and ordinary prose.

use crate::generator::Gen;
use crate::tables::{
    CLAUSES, COMPANY_FORMS, COMPANY_PREFIXES, COMPANY_TRADES, COMPOUND_SURNAMES, ESTATES,
    GIVEN_CHARS, PLACES, STREETS, SURNAMES, TECH_WORDS,
};

impl Gen {
    /// A personal name: surname (sometimes compound) and a one- or two-character given name.
    pub fn person_name(&mut self) {
        let surname = if self.chance(5) {
            self.pick(COMPOUND_SURNAMES)
        } else {
            self.pick(SURNAMES)
        };
        self.lit(surname);
        let n = if self.chance(70) { 2 } else { 1 };
        for _ in 0..n {
            let c = self.pick(GIVEN_CHARS);
            self.lit(c);
        }
    }

    /// A postal address: province, city, district, street and number, often a unit.
    pub fn address(&mut self) {
        let (province, cities) = *self.pick(PLACES);
        let (city, districts) = *self.pick(cities);
        self.lit(province);
        self.lit(city);
        let district = self.pick(districts);
        self.lit(district);
        if self.chance(15) {
            let estate = self.pick(ESTATES);
            self.lit(estate);
            let (b, u) = (self.below(1, 30), self.below(1, 6));
            self.num(b);
            self.lit("栋");
            self.num(u);
            self.lit("单元");
        } else {
            let street = self.pick(STREETS);
            self.lit(street);
            let n = self.below(1, 999);
            self.num(n);
            self.lit("号");
        }
        match self.below(0, 4) {
            0 => {}
            1 => {
                let (f, r) = (self.below(1, 33), self.below(1, 20));
                self.num(f);
                self.num_padded(r, 2);
                self.lit("室");
            }
            2 => {
                let (b, f, r) = (self.below(1, 20), self.below(1, 28), self.below(1, 9));
                self.num(b);
                self.lit("号楼");
                self.num(f);
                self.num_padded(r, 2);
                self.lit("室");
            }
            _ => {
                let block = *self.pick(b"ABCD");
                self.ch(block);
                self.lit("座");
                let f = self.below(1, 40);
                self.num(f);
                self.lit("层");
            }
        }
    }

    /// A company name.
    pub fn company(&mut self) {
        if self.chance(30) {
            let (province, cities) = *self.pick(PLACES);
            let (city, _) = *self.pick(cities);
            let place = if city.is_empty() { province } else { city };
            self.lit(place.trim_end_matches('市').trim_end_matches('省'));
        }
        let p = self.pick(COMPANY_PREFIXES);
        self.lit(p);
        let t = self.pick(COMPANY_TRADES);
        self.lit(t);
        let f = self.pick(COMPANY_FORMS);
        self.lit(f);
    }

    /// One sentence of ordinary prose. Numbers in it are years, counts and percentages, none
    /// of them identifiers.
    pub fn prose_sentence(&mut self) {
        let clauses = self.below(1, 4);
        for i in 0..clauses {
            if i > 0 {
                self.lit("，");
            }
            let c = self.pick(CLAUSES);
            self.lit(c);
        }
        match self.below(0, 12) {
            0 => {
                self.lit("，涉及");
                let w = self.pick(TECH_WORDS);
                self.lit(w);
                self.lit("等模块");
            }
            1 => {
                self.lit("，同比增长");
                let (a, b) = (self.below(1, 60), self.below(0, 10));
                self.num(a);
                self.lit(".");
                self.num(b);
                self.lit("%");
            }
            2 => {
                self.lit("，计划于");
                let y = self.below(2023, 2028);
                self.num(y);
                self.lit("年");
                let m = self.below(1, 13);
                self.num(m);
                self.lit("月完成");
            }
            3 => {
                self.lit("，共计");
                let n = self.below(2, 5000);
                self.num(n);
                self.lit("人次");
            }
            _ => {}
        }
        self.lit("。");
    }
}
