// Weekly access report: who holds which access profile and role.
import axios from "axios";

const BASE = process.env.ISC_BASE_URL ?? "https://acme.api.identitynow.com";

const isc = axios.create({
  baseURL: `${BASE}/v2025`,
  headers: { Authorization: `Bearer ${process.env.ISC_TOKEN}` },
});

export async function accessProfiles() {
  const { data } = await isc.get("/access-profiles", { params: { limit: 250 } });
  return data;
}

export async function roles() {
  const res = await fetch(`${BASE}/v2025/roles?limit=250`, {
    headers: { Authorization: `Bearer ${process.env.ISC_TOKEN}` },
  });
  return res.json();
}
