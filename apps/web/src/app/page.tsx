// Landing page.
export default function Home() {
  return (
    <main>
      <h1>Pallet</h1>
      <p>Signed APT and YUM/DNF repositories. The REST API lives under /api/v1.</p>
    </main>
  );
}
