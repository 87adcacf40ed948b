export namespace commission {
	
	export class Application {
	    system: string;
	    identifier: string;
	    name: string;
	    birthDate: string;
	
	    static createFrom(source: any = {}) {
	        return new Application(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.system = source["system"];
	        this.identifier = source["identifier"];
	        this.name = source["name"];
	        this.birthDate = source["birthDate"];
	    }
	}
	export class LabResult {
	    test: string;
	    value: string;
	    unit: string;
	    referenceLow: string;
	    referenceHigh: string;
	    laboratory: string;
	    date: string;
	
	    static createFrom(source: any = {}) {
	        return new LabResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.test = source["test"];
	        this.value = source["value"];
	        this.unit = source["unit"];
	        this.referenceLow = source["referenceLow"];
	        this.referenceHigh = source["referenceHigh"];
	        this.laboratory = source["laboratory"];
	        this.date = source["date"];
	    }
	}
	export class Payment {
	    receiptNumber: string;
	    amountMinor: number;
	    currency: string;
	
	    static createFrom(source: any = {}) {
	        return new Payment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.receiptNumber = source["receiptNumber"];
	        this.amountMinor = source["amountMinor"];
	        this.currency = source["currency"];
	    }
	}
	export class Case {
	    id: string;
	    name: string;
	    birthDate: string;
	    system: string;
	    identifier: string;
	    stage: string;
	    payment?: Payment;
	    result?: LabResult;
	    decision?: string;
	    decidedBy?: string;
	    approvals: number;
	    approvedBy: string[];
	    appliedAt: time.Time;
	    issuedAt: time.Time;
	    uvci?: string;
	
	    static createFrom(source: any = {}) {
	        return new Case(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.birthDate = source["birthDate"];
	        this.system = source["system"];
	        this.identifier = source["identifier"];
	        this.stage = source["stage"];
	        this.payment = this.convertValues(source["payment"], Payment);
	        this.result = this.convertValues(source["result"], LabResult);
	        this.decision = source["decision"];
	        this.decidedBy = source["decidedBy"];
	        this.approvals = source["approvals"];
	        this.approvedBy = source["approvedBy"];
	        this.appliedAt = this.convertValues(source["appliedAt"], time.Time);
	        this.issuedAt = this.convertValues(source["issuedAt"], time.Time);
	        this.uvci = source["uvci"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Query {
	    text?: string;
	    system?: string;
	    identifier?: string;
	    stage?: string;
	    issuedFrom?: string;
	    issuedTo?: string;
	
	    static createFrom(source: any = {}) {
	        return new Query(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.system = source["system"];
	        this.identifier = source["identifier"];
	        this.stage = source["stage"];
	        this.issuedFrom = source["issuedFrom"];
	        this.issuedTo = source["issuedTo"];
	    }
	}

}

export namespace kiosk {
	
	export class DemoPerson {
	    id: string;
	    name: string;
	    scenario: string;
	
	    static createFrom(source: any = {}) {
	        return new DemoPerson(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.scenario = source["scenario"];
	    }
	}
	export class Device {
	    kind: string;
	    name: string;
	    id: string;
	    state: string;
	    simulated: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Device(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.name = source["name"];
	        this.id = source["id"];
	        this.state = source["state"];
	        this.simulated = source["simulated"];
	    }
	}
	export class Failure {
	    reason: string;
	    queued: boolean;
	    claimCode?: string;
	
	    static createFrom(source: any = {}) {
	        return new Failure(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.reason = source["reason"];
	        this.queued = source["queued"];
	        this.claimCode = source["claimCode"];
	    }
	}
	export class FetchView {
	    step: string;
	    attempt: number;
	
	    static createFrom(source: any = {}) {
	        return new FetchView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.step = source["step"];
	        this.attempt = source["attempt"];
	    }
	}
	export class IdentifierCheck {
	    ok: boolean;
	    normalized: string;
	    problem: string;
	
	    static createFrom(source: any = {}) {
	        return new IdentifierCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.normalized = source["normalized"];
	        this.problem = source["problem"];
	    }
	}
	export class JobView {
	    id: string;
	    kind: string;
	    state: string;
	    printer: string;
	    attempts: number;
	    lastError: string;
	    claimHash?: string;
	    createdAt: string;
	
	    static createFrom(source: any = {}) {
	        return new JobView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.state = source["state"];
	        this.printer = source["printer"];
	        this.attempts = source["attempts"];
	        this.lastError = source["lastError"];
	        this.claimHash = source["claimHash"];
	        this.createdAt = source["createdAt"];
	    }
	}
	export class Language {
	    code: string;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new Language(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.name = source["name"];
	    }
	}
	export class Offer {
	    id: string;
	    kind: string;
	    dose?: number;
	    doses?: number;
	    date: string;
	    validFrom?: string;
	    validUntil?: string;
	    source: string;
	
	    static createFrom(source: any = {}) {
	        return new Offer(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.dose = source["dose"];
	        this.doses = source["doses"];
	        this.date = source["date"];
	        this.validFrom = source["validFrom"];
	        this.validUntil = source["validUntil"];
	        this.source = source["source"];
	    }
	}
	export class PersonView {
	    name: string;
	    birthDate: string;
	
	    static createFrom(source: any = {}) {
	        return new PersonView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.birthDate = source["birthDate"];
	    }
	}
	export class Preview {
	    offerId: string;
	    qr: string;
	    name: string;
	    birthDate: string;
	    kind: string;
	    dose?: number;
	    doses?: number;
	    date: string;
	    validUntil?: string;
	    uvci: string;
	    issuer: string;
	    specimen: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Preview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.offerId = source["offerId"];
	        this.qr = source["qr"];
	        this.name = source["name"];
	        this.birthDate = source["birthDate"];
	        this.kind = source["kind"];
	        this.dose = source["dose"];
	        this.doses = source["doses"];
	        this.date = source["date"];
	        this.validUntil = source["validUntil"];
	        this.uvci = source["uvci"];
	        this.issuer = source["issuer"];
	        this.specimen = source["specimen"];
	    }
	}
	export class PrintJob {
	    id: string;
	    what: string;
	    state: string;
	    printerState: string;
	
	    static createFrom(source: any = {}) {
	        return new PrintJob(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.what = source["what"];
	        this.state = source["state"];
	        this.printerState = source["printerState"];
	    }
	}
	export class PrintView {
	    jobs: PrintJob[];
	    done: boolean;
	
	    static createFrom(source: any = {}) {
	        return new PrintView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.jobs = this.convertValues(source["jobs"], PrintJob);
	        this.done = source["done"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Refusal {
	    kind: string;
	    reason: string;
	    text: string;
	    nextStep: string;
	
	    static createFrom(source: any = {}) {
	        return new Refusal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.reason = source["reason"];
	        this.text = source["text"];
	        this.nextStep = source["nextStep"];
	    }
	}
	export class StaffView {
	    id: string;
	    name: string;
	    roles: string[];
	
	    static createFrom(source: any = {}) {
	        return new StaffView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.roles = source["roles"];
	    }
	}
	export class VerifyView {
	    colour: string;
	    reason: string;
	    kind?: string;
	    name?: string;
	    birthDate?: string;
	
	    static createFrom(source: any = {}) {
	        return new VerifyView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.colour = source["colour"];
	        this.reason = source["reason"];
	        this.kind = source["kind"];
	        this.name = source["name"];
	        this.birthDate = source["birthDate"];
	    }
	}
	export class State {
	    seq: number;
	    screen: string;
	    language: string;
	    demo: boolean;
	    profile: string;
	    idleTimeoutSeconds: number;
	    person?: PersonView;
	    fetch?: FetchView;
	    offers: Offer[];
	    refusals: Refusal[];
	    preview?: Preview;
	    print?: PrintView;
	    failure?: Failure;
	    verify?: VerifyView;
	    staff?: StaffView;
	    devices: Device[];
	    demoPeople: DemoPerson[];
	    idleRemainingSeconds?: number;
	
	    static createFrom(source: any = {}) {
	        return new State(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.screen = source["screen"];
	        this.language = source["language"];
	        this.demo = source["demo"];
	        this.profile = source["profile"];
	        this.idleTimeoutSeconds = source["idleTimeoutSeconds"];
	        this.person = this.convertValues(source["person"], PersonView);
	        this.fetch = this.convertValues(source["fetch"], FetchView);
	        this.offers = this.convertValues(source["offers"], Offer);
	        this.refusals = this.convertValues(source["refusals"], Refusal);
	        this.preview = this.convertValues(source["preview"], Preview);
	        this.print = this.convertValues(source["print"], PrintView);
	        this.failure = this.convertValues(source["failure"], Failure);
	        this.verify = this.convertValues(source["verify"], VerifyView);
	        this.staff = this.convertValues(source["staff"], StaffView);
	        this.devices = this.convertValues(source["devices"], Device);
	        this.demoPeople = this.convertValues(source["demoPeople"], DemoPerson);
	        this.idleRemainingSeconds = source["idleRemainingSeconds"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace time {
	
	export class Time {
	
	
	    static createFrom(source: any = {}) {
	        return new Time(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	
	    }
	}

}

