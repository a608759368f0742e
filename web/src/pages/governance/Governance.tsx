import type { ReactElement } from 'react';
import { NotAllowed } from '../../components/NotAllowed';
import { SectionScreens } from '../../components/SectionScreens';
import { useMe } from '../../session';
import { type GovernancePath, governanceSectionsFor } from './access';
import { Policy } from './Policy';
import { Review } from './Review';
import { TermlyReport } from './TermlyReport';

const SCREENS: Record<GovernancePath, ReactElement> = {
  policy: <Policy />,
  review: <Review />,
  report: <TermlyReport />,
};

/** The policy, its yearly filtering and monitoring review, and the governors' termly report. */
export function Governance() {
  const me = useMe();
  const mine = governanceSectionsFor(me);
  if (mine.length === 0)
    return <NotAllowed title="Governance" message="This part of Tutela is for staff and governors" action="see governance" />;
  return (
    <div className="governance">
      <SectionScreens name="Governance" base="/governance" sections={mine} screens={SCREENS} />
    </div>
  );
}
