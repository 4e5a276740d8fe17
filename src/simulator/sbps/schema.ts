/**
 * Field tables the simulator enforces, per 機能ID, in the order SBPS hashes them
 * (as public clients send them, sbpayment.rb and sbpayment-java; lengths from sbpayment-java's
 * annotations where the official tables are not public). `item` is the 3-digit item code an error
 * names (SBPS's API型 error codes).
 */

export type FieldKind = "9" | "X" | "M"

export interface FieldSpec {
  tag: string
  kind?: FieldKind
  max?: number
  /** Exact length. */
  len?: number
  required?: boolean
  /** Allowed values (定義値). */
  values?: string[]
  item: string
  children?: FieldSpec[]
  /** Repeats (dtl). */
  repeat?: boolean
}

const f = (tag: string, kind: FieldKind, item: string, o: Partial<FieldSpec> = {}): FieldSpec => ({ tag, kind, item, ...o })
const block = (tag: string, children: FieldSpec[], o: Partial<FieldSpec> = {}): FieldSpec => ({ tag, item: "999", children, ...o })

const MERCHANT = [f("merchant_id", "9", "001", { len: 5, required: true }), f("service_id", "9", "002", { len: 3, required: true })]
const TRAILER = [
  f("encrypted_flg", "9", "028", { len: 1, values: ["0", "1"] }),
  f("request_date", "9", "023", { len: 14, required: true }),
  f("limit_second", "9", "024", { max: 4 }),
  f("sps_hashcode", "X", "025", { len: 40, required: true }),
]
const TRAILER_NO_ENC = TRAILER.filter((t) => t.tag !== "encrypted_flg")
const TARGET = [
  f("sps_transaction_id", "X", "026", { max: 32 }),
  f("tracking_id", "X", "027", { max: 14, required: true }),
  f("processing_datetime", "9", "029", { len: 14 }),
]
const DTLS = block("dtls", [
  block(
    "dtl",
    [
      f("dtl_rowno", "9", "014", { max: 3 }),
      f("dtl_item_id", "X", "015", { max: 20 }),
      f("dtl_item_name", "M", "016", { max: 40 }),
      f("dtl_item_count", "9", "017", { max: 6 }),
      f("dtl_tax", "9", "018", { max: 7 }),
      f("dtl_amount", "9", "019", { max: 7 }),
    ],
    { repeat: true },
  ),
])
const ORDER = [
  f("cust_code", "X", "003", { max: 64, required: true }),
  f("order_id", "X", "004", { max: 38, required: true }),
  f("item_id", "X", "005", { max: 32, required: true }),
  f("item_name", "M", "006", { max: 40 }),
  f("tax", "9", "007", { max: 7 }),
  f("amount", "9", "008", { max: 7, required: true }),
  f("free1", "M", "010", { max: 20 }),
  f("free2", "M", "011", { max: 20 }),
  f("free3", "M", "012", { max: 20 }),
]
const PAY_METHOD_INFO = block("pay_method_info", [
  f("dealings_type", "9", "202", { len: 2, values: ["10", "21", "61", "80"] }),
  f("divide_times", "9", "203", { max: 3 }),
])
const FLAG = (tag: string, item: string) => f(tag, "9", item, { len: 1, values: ["0", "1"] })

export const SCHEMAS: Record<string, FieldSpec[]> = {
  "ST01-00131-101": [
    ...MERCHANT,
    ...ORDER,
    f("order_rowno", "9", "013", { max: 2 }),
    FLAG("sps_cust_info_return_flg", "030"),
    DTLS,
    PAY_METHOD_INFO,
    block("pay_option_manage", [
      f("token", "X", "227", { max: 512 }),
      f("token_key", "X", "228", { max: 512 }),
      FLAG("cust_manage_flg", "205"),
      FLAG("cardbrand_return_flg", "217"),
    ]),
    ...TRAILER,
  ],
  "ST01-00118-101": [
    ...MERCHANT,
    ...ORDER,
    FLAG("sps_cust_info_return_flg", "030"),
    DTLS,
    PAY_METHOD_INFO,
    block("pay_option_manage", [
      FLAG("cust_manage_flg", "205"),
      FLAG("cardbrand_return_flg", "217"),
      // [?] tds_authentication_id's length and item code are not public.
      f("tds_authentication_id", "X", "999", { max: 64, required: true }),
    ]),
    ...TRAILER,
  ],
  "TA02-00101-101": [
    ...MERCHANT,
    f("cust_code", "X", "003", { max: 64, required: true }),
    f("amount", "9", "008", { max: 7, required: true }),
    block("pay_method_info", []),
    block("pay_option_manage", [
      f("token", "X", "227", { max: 512, required: true }),
      f("token_key", "X", "228", { max: 512, required: true }),
      f("tds_info_token", "X", "999", { max: 512 }),
      f("tds_info_token_key", "X", "999", { max: 512 }),
      f("ok_return_url", "X", "999", { max: 256, required: true }),
      f("ng_return_url", "X", "999", { max: 256, required: true }),
    ]),
    ...TRAILER,
  ],
  "ST02-00101-101": [...MERCHANT, ...TARGET, ...TRAILER_NO_ENC],
  "ST02-00303-101": [...MERCHANT, ...TARGET, ...TRAILER_NO_ENC],
  "ST02-00201-101": [...MERCHANT, ...TARGET, block("pay_option_manage", [f("amount", "9", "008", { max: 7 })]), ...TRAILER_NO_ENC],
  "ST02-00307-101": [...MERCHANT, ...TARGET, block("pay_option_manage", [f("amount", "9", "008", { max: 7, required: true })], { required: true }), ...TRAILER_NO_ENC],
  "MG01-00101-101": [
    ...MERCHANT,
    f("sps_transaction_id", "X", "026", { max: 32 }),
    f("tracking_id", "X", "027", { max: 14, required: true }),
    f("response_info_type", "9", "216", { len: 1, values: ["0", "1", "2"] }),
    block("pay_option_manage", [FLAG("cardbrand_return_flg", "217")]),
    ...TRAILER,
  ],
  "MG02-00131-101": customerWithToken(),
  "MG02-00132-101": customerWithToken(),
  "MG02-00103-101": [...MERCHANT, f("cust_code", "X", "003", { max: 64, required: true }), FLAG("sps_cust_info_return_flg", "030"), ...TRAILER],
  "MG02-00104-101": [
    ...MERCHANT,
    f("cust_code", "X", "003", { max: 64, required: true }),
    FLAG("sps_cust_info_return_flg", "030"),
    f("response_info_type", "9", "216", { len: 1, values: ["0", "1", "2"] }),
    block("pay_option_manage", [FLAG("cardbrand_return_flg", "217")]),
    ...TRAILER,
  ],
}

function customerWithToken(): FieldSpec[] {
  return [
    ...MERCHANT,
    f("cust_code", "X", "003", { max: 64, required: true }),
    FLAG("sps_cust_info_return_flg", "030"),
    block("pay_method_info", [f("resrv1", "M", "206", { max: 20 }), f("resrv2", "M", "207", { max: 20 }), f("resrv3", "M", "208", { max: 20 })]),
    block("pay_option_manage", [f("token", "X", "227", { max: 512, required: true }), f("token_key", "X", "228", { max: 512, required: true }), FLAG("cardbrand_return_flg", "217")]),
    ...TRAILER,
  ]
}
