import { Link } from "react-router-dom";
import { Empty } from "../components/states";

export function NotFound() {
  return (
    <Empty title="No such page">
      <Link to="/graphs">Go to the graphs</Link>
    </Empty>
  );
}
